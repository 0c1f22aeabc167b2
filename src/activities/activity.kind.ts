import { ITEM_STATES } from '../plan-items/traffic-light.js';
import { CreateItemStatusUpdateDto } from '../plan-items/dto/status-update.dto.js';
import { ARCHIVED, field as f } from '../plan-items/fields.js';
import type { PlanItemKind } from '../plan-items/plan-item-kind.js';
import { dateOrder, goalOfCluster } from '../plan-items/rules.js';
import { toActivityResponse } from './activities.mapper.js';
import { Activity } from './activity.entity.js';
import { ActivityResponse, CreateActivityDto, ListActivitiesQueryDto, UpdateActivityDto } from './dto/activity.dto.js';

/** Activities: planned pieces of work with a start and a due date, serving a goal. */
export const ACTIVITY: PlanItemKind<Activity, ActivityResponse, CreateActivityDto, UpdateActivityDto> = {
  entity: Activity,
  table: 'activity',
  subjectType: 'activity',
  label: 'The activity',
  names: {
    en: { one: 'activity', the: 'activity', many: 'Activities' },
    sv: { one: 'aktivitet', the: 'aktiviteten', many: 'Aktiviteter' },
  },
  fields: [
    f('title', 'title'),
    f('description', 'description'),
    f('owner', 'owner'),
    f('goal_id', 'goalId'),
    f('start_date', 'startDate'),
    f('due_date', 'dueDate'),
    f('state', 'state'),
    f('status', 'status'),
    f('completed_at', 'completedAt', 'timestamp'),
    ARCHIVED,
  ],
  states: { values: ITEM_STATES, initial: 'planned', done: 'done' },
  columns: { due: 'due_date', search: 'title' },
  replanned: ['title', 'start_date', 'due_date'],
  report: { columns: ['title', 'goal_id', 'due_date'] },
  sort: {
    columns: { title: 'title', startDate: 'start_date', dueDate: 'due_date', createdAt: 'created_at', updatedAt: 'updated_at' },
    default: 'dueDate',
  },
  createValues: (dto) => ({
    title: dto.title,
    description: dto.description ?? null,
    owner: dto.owner ?? null,
    goalId: dto.goalId ?? null,
    startDate: dto.startDate ?? null,
    dueDate: dto.dueDate ?? null,
  }),
  rules: [dateOrder('startDate', 'dueDate'), goalOfCluster('goalId')],
  toResponse: toActivityResponse,
  dtos: { create: CreateActivityDto, update: UpdateActivityDto, list: ListActivitiesQueryDto, statusUpdate: CreateItemStatusUpdateDto },
  response: ActivityResponse,
  routes: {
    path: 'activities',
    param: 'activityId',
    operationPrefix: 'ActivitiesController',
    anItem: 'an activity',
    theItem: 'the activity',
    notFound: 'activity',
    docs: {
      page: 'ActivityPage',
      tag: 'Activities: what the cluster does, by when, and how it goes.',
      all: 'the activities',
      allShort: 'activities',
      create:
        'Admin keys, and editor keys of the cluster. Records the first status (default green) and state (default planned) in the history.',
      createRules: 'startDate after dueDate, a goalId of another cluster, or a yellow / red status without statusComment.',
      update: 'Only the fields sent change; a new state is recorded in the history. The status changes only through status updates.',
      updateRules: 'startDate after dueDate, or a goalId of another cluster.',
      archive: 'Nothing is deleted; it and its history stay readable.',
    },
  },
};
