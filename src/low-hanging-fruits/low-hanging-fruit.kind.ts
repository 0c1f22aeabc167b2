import { ITEM_STATES } from '../plan-items/traffic-light.js';
import { CreateItemStatusUpdateDto } from '../plan-items/dto/status-update.dto.js';
import { ARCHIVED, field as f } from '../plan-items/fields.js';
import type { PlanItemKind } from '../plan-items/plan-item-kind.js';
import { goalOfCluster } from '../plan-items/rules.js';
import {
  CreateLowHangingFruitDto,
  ListLowHangingFruitsQueryDto,
  LowHangingFruitResponse,
  UpdateLowHangingFruitDto,
} from './dto/low-hanging-fruit.dto.js';
import { LowHangingFruit } from './low-hanging-fruit.entity.js';
import { toLowHangingFruitResponse } from './low-hanging-fruits.mapper.js';

/** Low-hanging fruits: quick wins (what, when, how), serving a goal; `done` means taken. */
export const FRUIT: PlanItemKind<LowHangingFruit, LowHangingFruitResponse, CreateLowHangingFruitDto, UpdateLowHangingFruitDto> = {
  entity: LowHangingFruit,
  table: 'low_hanging_fruit',
  subjectType: 'low_hanging_fruit',
  label: 'The low-hanging fruit',
  names: {
    en: { one: 'low-hanging fruit', the: 'low-hanging fruit', many: 'Low-hanging fruits' },
    sv: { one: 'lågt hängande frukt', the: 'den lågt hängande frukten', many: 'Lågt hängande frukter' },
  },
  fields: [
    f('what', 'what'),
    f('when_date', 'when'),
    f('how', 'how'),
    f('owner', 'owner'),
    f('goal_id', 'goalId'),
    f('state', 'state'),
    f('status', 'status'),
    f('completed_at', 'completedAt', 'timestamp'),
    ARCHIVED,
  ],
  states: { values: ITEM_STATES, initial: 'planned', done: 'done' },
  columns: { due: 'when_date', search: 'what' },
  replanned: ['what', 'when_date'],
  report: { columns: ['what', 'when_date'] },
  sort: { columns: { what: 'what', when: 'when_date', createdAt: 'created_at', updatedAt: 'updated_at' }, default: 'when' },
  createValues: (dto) => ({ what: dto.what, when: dto.when, how: dto.how ?? null, owner: dto.owner ?? null, goalId: dto.goalId ?? null }),
  rules: [goalOfCluster('goalId')],
  toResponse: toLowHangingFruitResponse,
  dtos: {
    create: CreateLowHangingFruitDto,
    update: UpdateLowHangingFruitDto,
    list: ListLowHangingFruitsQueryDto,
    statusUpdate: CreateItemStatusUpdateDto,
  },
  response: LowHangingFruitResponse,
  routes: {
    path: 'low-hanging-fruits',
    param: 'id',
    operationPrefix: 'LowHangingFruitsController',
    anItem: 'a low-hanging fruit',
    theItem: 'the fruit',
    notFound: 'low-hanging fruit',
    docs: {
      page: 'LowHangingFruitPage',
      tag: 'Low-hanging fruits: quick wins that show the firms early results.',
      all: 'the low-hanging fruits',
      allShort: 'fruits',
      create:
        'Admin keys, and editor keys of the cluster. Records the first status (default green) and state (default planned) in the history.',
      createRules: 'a goalId of another cluster, or a yellow / red status without statusComment.',
      update: 'Only the fields sent change; a new state is recorded in the history. The status changes only through status updates.',
      updateRules: 'A goalId of another cluster.',
      archive: 'Nothing is deleted; it and its history stay readable.',
    },
  },
};
