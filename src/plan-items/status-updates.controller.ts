import { Body, Controller, Get, Post, Query, type Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest, ApiConditionalWrite, ApiConflict, ApiNotFound, ApiUnprocessable } from '../common/api-responses.js';
import { IfMatch } from '../common/etag.js';
import { type Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/validation.js';
import { type CreateItemStatusUpdateDto, StatusUpdatePage, type StatusUpdateResponse } from './dto/status-update.dto.js';
import type { AnyPlanItemKind } from './plan-item-kind.js';
import { PlanItems } from './plan-items.service.js';

/** Who may change an item of a kind, as the document says it. */
export function writers(kind: AnyPlanItemKind): string {
  return `Admin keys, and editor keys of ${kind.routes.theItem}’s cluster.`;
}

/**
 * The status-update routes of a kind, `GET` and `POST /{kind}/{id}/status-updates`:
 * one definition for every kind, made into a controller per kind so that the
 * document names each kind's path parameter, body and response exactly. The
 * operation ids are those the routes have always had.
 */
export function statusUpdatesController(kind: AnyPlanItemKind): Type<unknown> {
  const { path, param, operationPrefix, anItem, theItem, notFound } = kind.routes;
  const sets = kind.hasState
    ? 'Sets the traffic light (and the state, if given) and appends it to the history with its comment'
    : 'Sets the traffic light and appends it to the history, with its comment';

  @ApiTags('plan')
  @Controller()
  class StatusUpdatesController {
    constructor(private readonly items: PlanItems) {}

    @Get(`${path}/:${param}/status-updates`)
    @Auth()
    @ApiTags('status')
    @ApiOperation({
      summary: `The status history of ${anItem}`,
      description: `Newest first. Any key that may read ${theItem}.`,
      operationId: `${operationPrefix}_statusUpdates`,
    })
    @ApiOkResponse({ type: StatusUpdatePage })
    @ApiBadRequest()
    @ApiNotFound(notFound)
    statusUpdates(
      @CurrentCaller() caller: Caller,
      @UuidParam(param) id: string,
      @Query() query: PageQueryDto,
    ): Promise<Page<StatusUpdateResponse>> {
      return this.items.history(kind, caller, id, query);
    }

    @Post(`${path}/:${param}/status-updates`)
    @Auth()
    @ApiTags('status')
    @ApiOperation({
      summary: `Update the status of ${anItem}`,
      description: `${writers(kind)} ${sets} and the key's name as author. Answers with the updated ${theItem.replace(/^the /, '')}.`,
      operationId: `${operationPrefix}_changeStatus`,
    })
    @ApiCreatedResponse({ type: kind.response })
    @ApiConditionalWrite()
    @ApiBadRequest()
    @ApiNotFound(notFound)
    @ApiConflict(`${theItem.replace(/^t/, 'T')} or its cluster is archived.`)
    @ApiUnprocessable('A yellow or red status without a comment.')
    changeStatus(
      @CurrentCaller() caller: Caller,
      @UuidParam(param) id: string,
      @Body() dto: CreateItemStatusUpdateDto,
      @IfMatch() ifMatch: number[] | undefined,
    ): Promise<unknown> {
      return this.items.changeStatus(kind, caller, id, dto, ifMatch);
    }
  }

  // The body is validated and documented as the kind's own (goals have no state).
  const types = Reflect.getMetadata('design:paramtypes', StatusUpdatesController.prototype, 'changeStatus') as unknown[];
  Reflect.defineMetadata('design:paramtypes', types.with(2, kind.statusUpdateBody), StatusUpdatesController.prototype, 'changeStatus');
  Object.defineProperty(StatusUpdatesController, 'name', { value: `${operationPrefix.replace(/Controller$/, '')}StatusUpdatesController` });
  return StatusUpdatesController;
}
