import { ApiProperty } from '@nestjs/swagger';

export class StatusCounts {
  @ApiProperty({ example: 3 })
  green: number;

  @ApiProperty({ example: 1 })
  yellow: number;

  @ApiProperty({ example: 0 })
  red: number;
}

export class StartEndCounts {
  /** Items that existed at the start of the period, by their light then. */
  @ApiProperty({ type: StatusCounts })
  start: StatusCounts;

  /** Items at the end of the period, by their light then. */
  @ApiProperty({ type: StatusCounts })
  end: StatusCounts;
}

export class ItemCounts extends StartEndCounts {
  @ApiProperty({ example: 2 })
  completed: number;

  @ApiProperty({ example: 1 })
  overdue: number;
}

export class RiskCounts extends StartEndCounts {
  /** Risks open at the end of the period with a score of 15 or more. */
  @ApiProperty({ example: 1 })
  highRisks: number;
}

export class ReportSummary {
  @ApiProperty({ type: StartEndCounts })
  goals: StartEndCounts;

  @ApiProperty({ type: ItemCounts })
  activities: ItemCounts;

  @ApiProperty({ type: ItemCounts })
  lowHangingFruits: ItemCounts;

  @ApiProperty({ type: RiskCounts })
  risks: RiskCounts;
}
