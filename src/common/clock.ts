import { Injectable } from '@nestjs/common';

/**
 * The wall clock of scheduled work: what the email scheduler asks for "now". One provider instead of `new Date()`
 * in the rules, so that a test can run a year of reminders in seconds by moving it.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
