import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest } from '../common/api-responses.js';
import { EventPage, EventsQueryDto } from './dto/event.dto.js';
import { EventsService } from './events.service.js';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @Auth()
  @ApiOperation({
    summary: 'What changed: every event after a cursor',
    description:
      'Any key; only events about resources the key may read now. Pass the `next` of each page as `after` to see every ' +
      'event exactly once, in order, also when transactions commit out of the order they started in: an event appears ' +
      'only once every transaction that began before it has ended. `wait` (seconds, up to 30) holds the request until ' +
      'an event arrives. Each event carries the resource after the change, in the shape of its GET, with `changes`.',
  })
  @ApiOkResponse({ type: EventPage })
  @ApiBadRequest('A malformed cursor, an unknown event type, a bad clusterId, limit or wait out of range.')
  list(@CurrentCaller() caller: Caller, @Query() query: EventsQueryDto): Promise<EventPage> {
    return this.events.page(caller, { ...query, clusterIds: query.clusterId ? [query.clusterId] : undefined }, query.wait);
  }
}
