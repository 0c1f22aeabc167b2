import { ApiProperty } from '@nestjs/swagger';

/** The period's narrative (*lägesrapportens text*), as it stood at the moment the report is known at. */
export class ReportNarrative {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: '2026-H1' })
  period: string;

  /** Its version at that moment (`GET /clusters/{clusterId}/narratives/{period}/revisions` lists them all). */
  @ApiProperty({ example: 2 })
  version: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Findit har under första halvåret 2026 gått från mobilisering till formering: styrgruppen är på plats.',
  })
  summary: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Medlemsenkäten genomfördes i juni (31 svar). Två innovationsprojekt startade.' })
  results: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Studieresan till Kalmar SP sköts upp till hösten; budgeten räckte inte.' })
  deviations: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Intressentanalysen och en matchmakingträff med Högskolan i Gävle.' })
  nextSteps: string | null;
}
