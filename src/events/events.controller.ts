import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest, ProblemResponse } from '../common/api-responses.js';
import { EventPage, EventsQueryDto } from './dto/event.dto.js';
import { EventsService } from './events.service.js';
import { WithETag } from '../common/etag.js';

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds until a held request of the instance has ended at the latest.',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 30 },
  },
};

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: 'What changed: every event after a cursor',
    description:
      'Any key; only events about resources the key may read now. Pass the `next` of each page as `after` to see every ' +
      'event exactly once, in order, also when transactions commit out of the order they started in: an event appears ' +
      'only once every transaction that began before it has ended. `wait` (seconds, up to 30) holds the request until ' +
      'an event arrives. Each event carries the resource after the change, in the shape of its GET, with `changes`. ' +
      'Requests with `wait` are budgeted: one key holds at most EVENTS_MAX_WAITERS_PER_KEY (4) of them at once, an ' +
      'instance at most EVENTS_MAX_WAITERS (256); one more is answered at once with 429 (the key) or 503 (the instance) ' +
      'and Retry-After, never held.',
  })
  @ApiOkResponse({ type: EventPage })
  @ApiBadRequest('A malformed cursor, an unknown event type, a bad clusterId, limit or wait out of range.')
  @ApiServiceUnavailableResponse({
    ...ProblemResponse(
      'This instance already holds EVENTS_MAX_WAITERS (256) requests with `wait`. Retry after the seconds in Retry-After.',
    ),
    headers: RETRY_AFTER,
  })
  list(
    @CurrentCaller() caller: Caller,
    @Query() query: EventsQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EventPage> {
    // A client that leaves stops waiting at once and gives its place back.
    const gone = new AbortController();
    reply.raw.once('close', () => gone.abort());
    return this.events.page(caller, { ...query, clusterIds: query.clusterId ? [query.clusterId] : undefined }, query.wait, gone.signal);
  }
}
