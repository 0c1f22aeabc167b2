import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PageOf } from '../../common/page.dto.js';
import { IsText, NotNullIfPresent } from '../../common/validators.js';
import {
  ITEM_STATES,
  type ItemState,
  PLAN_ITEM_STATES,
  type PlanItemState,
  RISK_STATES,
  type RiskState,
  STATUSES,
  type Status,
} from '../traffic-light.js';

export class CreateGoalStatusUpdateDto {
  @IsIn(STATUSES)
  @ApiProperty({ enum: STATUSES, enumName: 'Status', example: 'yellow' })
  status: Status;

  /** Why the light is what it is. Required for yellow and red (422 without it). */
  @NotNullIfPresent()
  @IsText()
  @ApiProperty({ required: false, maxLength: 5000, example: 'Two key firms have not yet signed up; meeting them in March.' })
  comment?: string;
}

export class CreateItemStatusUpdateDto extends CreateGoalStatusUpdateDto {
  /** A new state, changed together with the status. */
  @NotNullIfPresent()
  @IsIn(ITEM_STATES)
  @ApiProperty({ required: false, enum: ITEM_STATES, enumName: 'ItemState', example: 'ongoing' })
  state?: ItemState;
}

export class CreateRiskStatusUpdateDto extends CreateGoalStatusUpdateDto {
  /** A new state, changed together with the status. */
  @NotNullIfPresent()
  @IsIn(RISK_STATES)
  @ApiProperty({ required: false, enum: RISK_STATES, enumName: 'RiskState', example: 'mitigated' })
  state?: RiskState;
}

export class StatusUpdateResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: STATUSES, enumName: 'Status', example: 'yellow' })
  status: Status;

  /** The state after this change, from the kind's own states (activities and fruits: ItemState, risks: RiskState); null for goals. */
  @ApiProperty({ enum: PLAN_ITEM_STATES, enumName: 'PlanItemState', nullable: true, example: 'ongoing' })
  state: PlanItemState | null;

  @ApiProperty({ type: String, nullable: true, example: 'Two key firms have not yet signed up; meeting them in March.' })
  comment: string | null;

  /** The name of the API key that made the change. */
  @ApiProperty({ example: 'Findit process leader' })
  author: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  authorKeyId: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export const StatusUpdatePage = PageOf(StatusUpdateResponse, 'StatusUpdatePage');
