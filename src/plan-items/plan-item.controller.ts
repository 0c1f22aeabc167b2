import { Body, Controller, Delete, Get, HttpCode, Patch, Query, type Type } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import {
  ApiBadRequest,
  ApiConditionalRead,
  ApiConditionalWrite,
  ApiConflict,
  ApiNotFound,
  ApiUnprocessable,
} from '../common/api-responses.js';
import { IfMatch, WithETag } from '../common/etag.js';
import { PageOf } from '../common/page.dto.js';
import { type Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/validation.js';
import type { PlanListQueryDto } from './dto/plan-query.dto.js';
import { StatusUpdatePage, type StatusUpdateResponse } from './dto/status-update.dto.js';
import type { AnyPlanItemKind, PlanItemCreate, PlanItemStatusChange } from './plan-item-kind.js';
import { PlanItems } from './plan-items.service.js';
import { AsOfQueryDto } from '../revisions/as-of.js';
import type { RevisionResponse } from '../revisions/dto/revision.dto.js';
import { ReadFromReplica } from '../revisions/replica-read.js';
import { PLAN_READERS, RevisionsOf } from '../revisions/revisions.docs.js';
import { IdempotentPost } from '../idempotency/idempotent-post.js';

/** A subject type in camel case (`report_submission` → `reportSubmission`): the method names the revisions routes' operation ids have always had. */
const camel = (name: string) => name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/** The status update Swagger UI offers, as the README sends it. */
const STATUS_UPDATE_EXAMPLE = { status: 'yellow', comment: 'Two key firms have not signed up yet' };

/**
 * The routes of a kind of plan item, from its descriptor: list and add in a
 * cluster, get, change and archive one, its status history and status
 * updates, its revisions. One definition for every kind, made into a controller class per
 * kind so that the document names each kind's paths, path parameter, bodies
 * and responses exactly; the operation ids are those the routes have always
 * had (`GoalsController_list` …).
 */
export function planItemController(kind: AnyPlanItemKind): Type<unknown> {
  const { path, param, operationPrefix: prefix, anItem, theItem, notFound, docs } = kind.routes;
  const Item = kind.response;
  /** What the guard reads to tell a key that may not read the item (404) from one that may only read it (403). */
  const item = { table: kind.table, label: notFound };
  const ItemPage = PageOf(Item, docs.page);
  const writers = `Admin keys, and editor keys of ${theItem}’s cluster.`;
  const TheItem = theItem.replace(/^t/, 'T');
  const sets = kind.states
    ? 'Sets the traffic light (and the state, if given) and appends it to the history with its comment'
    : 'Sets the traffic light and appends it to the history, with its comment';

  // Each operation is tagged by kind (its path: `goals`, `activities`, …), so that Swagger UI's filter,
  // which matches tags, finds an item's operations by its name; status updates are under `status` only, once.
  @Controller()
  class PlanItemController {
    constructor(private readonly items: PlanItems) {}

    @Get(`clusters/:clusterId/${path}`)
    @WithETag()
    @Auth()
    @ApiTags(path)
    @ApiOperation({
      summary: `List ${docs.all} of a cluster`,
      description: 'Any key that may read the cluster.',
      operationId: `${prefix}_list`,
    })
    @ApiOkResponse({ type: ItemPage })
    @ApiBadRequest()
    @ApiNotFound('cluster')
    list(
      @CurrentCaller() caller: Caller,
      @UuidParam('clusterId') clusterId: string,
      @Query() query: PlanListQueryDto,
    ): Promise<Page<unknown>> {
      return this.items.list(kind, caller, clusterId, query);
    }

    @IdempotentPost(`clusters/:clusterId/${path}`)
    @WithETag()
    @Auth({ write: true, resource: ['clusterId', 'cluster'] })
    @ApiTags(path)
    @ApiOperation({ summary: `Add ${anItem}`, description: docs.create, operationId: `${prefix}_create` })
    @ApiCreatedResponse({ type: Item })
    @ApiBadRequest()
    @ApiNotFound('cluster')
    @ApiConflict('The cluster is archived.')
    @ApiUnprocessable(docs.createRules)
    create(@CurrentCaller() caller: Caller, @UuidParam('clusterId') clusterId: string, @Body() dto: PlanItemCreate): Promise<unknown> {
      return this.items.create(kind, caller, clusterId, dto);
    }

    @Get(`${path}/:${param}`)
    @WithETag()
    @Auth()
    @ApiTags(path)
    @ApiOperation({
      summary: `Get ${anItem}`,
      description: `Any key that may read its cluster; archived ${docs.allShort} stay readable.`,
      operationId: `${prefix}_get`,
    })
    @ApiOkResponse({ type: Item })
    @ApiConditionalRead()
    @ApiBadRequest(`${param} is not a UUID.`)
    @ApiNotFound(notFound)
    get(@CurrentCaller() caller: Caller, @UuidParam(param) id: string, @Query() query: AsOfQueryDto): Promise<unknown> {
      return this.items.get(kind, caller, id, query.asOf);
    }

    @Patch(`${path}/:${param}`)
    @WithETag()
    @Auth({ write: true, resource: [param, item] })
    @ApiTags(path)
    @ApiOperation({ summary: `Change ${anItem}`, description: `${writers} ${docs.update}`, operationId: `${prefix}_update` })
    @ApiOkResponse({ type: Item })
    @ApiConditionalWrite()
    @ApiBadRequest()
    @ApiNotFound(notFound)
    @ApiConflict(`${TheItem} or its cluster is archived.`)
    @ApiUnprocessable(docs.updateRules)
    update(
      @CurrentCaller() caller: Caller,
      @UuidParam(param) id: string,
      @Body() dto: object,
      @IfMatch() ifMatch: number[] | undefined,
    ): Promise<unknown> {
      return this.items.update(kind, caller, id, dto, ifMatch);
    }

    @Delete(`${path}/:${param}`)
    @HttpCode(204)
    @Auth({ write: true, resource: [param, item] })
    @ApiTags(path)
    @ApiOperation({ summary: `Archive ${anItem}`, description: `${writers} ${docs.archive}`, operationId: `${prefix}_archive` })
    @ApiNoContentResponse({ description: 'Archived (or already archived).' })
    @ApiConflict('The cluster is archived; everything in it is read-only.')
    @ApiConditionalWrite()
    @ApiNotFound(notFound)
    archive(@CurrentCaller() caller: Caller, @UuidParam(param) id: string, @IfMatch() ifMatch: number[] | undefined): Promise<void> {
      return this.items.archive(kind, caller, id, ifMatch);
    }

    @Get(`${path}/:${param}/status-updates`)
    @ApiTags('status')
    @WithETag()
    @Auth()
    @ApiOperation({
      summary: `The status history of ${anItem}`,
      description: `Newest first. Any key that may read ${theItem}.`,
      operationId: `${prefix}_statusUpdates`,
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

    @IdempotentPost(`${path}/:${param}/status-updates`)
    @ApiTags('status')
    @WithETag()
    @Auth({ write: true, resource: [param, item] })
    @ApiOperation({
      summary: `Update the status of ${anItem}`,
      description: `${writers} ${sets} and the key's name as author. Answers with the updated ${theItem.replace(/^the /, '')}.`,
      operationId: `${prefix}_changeStatus`,
    })
    @ApiCreatedResponse({ type: Item })
    @ApiConditionalWrite()
    @ApiBadRequest()
    @ApiNotFound(notFound)
    @ApiConflict(`${TheItem} or its cluster is archived.`)
    @ApiUnprocessable('A yellow or red status without a comment.')
    changeStatus(
      @CurrentCaller() caller: Caller,
      @UuidParam(param) id: string,
      @Body() dto: PlanItemStatusChange,
      @IfMatch() ifMatch: number[] | undefined,
    ): Promise<unknown> {
      return this.items.changeStatus(kind, caller, id, dto, ifMatch);
    }

    @Get(`${path}/:${param}/revisions`)
    @WithETag()
    @ReadFromReplica()
    @ApiTags('revisions')
    @RevisionsOf(notFound, PLAN_READERS, `RevisionsController_${camel(kind.subjectType)}`)
    revisions(
      @CurrentCaller() caller: Caller,
      @UuidParam(param) id: string,
      @Query() query: PageQueryDto,
    ): Promise<Page<RevisionResponse>> {
      return this.items.listRevisions(kind, caller, id, query);
    }
  }

  // Bodies and queries are validated and documented as the kind's own classes.
  const own: [string, Type<unknown>][] = [
    ['list', kind.dtos.list],
    ['create', kind.dtos.create],
    ['update', kind.dtos.update],
    ['changeStatus', kind.dtos.statusUpdate],
  ];
  for (const [method, type] of own) {
    const types = Reflect.getMetadata('design:paramtypes', PlanItemController.prototype, method) as unknown[];
    Reflect.defineMetadata('design:paramtypes', types.with(2, type), PlanItemController.prototype, method);
  }
  // What "Try it out" offers: a light and its reason. The state is left out: sent, it changes the item's state too.
  const statusUpdate = kind.dtos.statusUpdate;
  ApiExtraModels(statusUpdate)(PlanItemController);
  ApiBody({
    schema: { $ref: getSchemaPath(statusUpdate) },
    examples: { yellow: { summary: 'A yellow light and why', value: STATUS_UPDATE_EXAMPLE } },
  })(PlanItemController.prototype, 'changeStatus', Object.getOwnPropertyDescriptor(PlanItemController.prototype, 'changeStatus')!);
  Object.defineProperty(PlanItemController, 'name', { value: prefix });
  return PlanItemController;
}
