import { Controller, Get, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators.js';
import { ProblemResponse } from '../common/api-responses.js';
import { DomainError } from '../common/domain-error.js';

/** What a 503 from readiness says, in words an operator acts on. */
export const DATABASE_NOT_AVAILABLE = 'The database is not available: it refused the connection or did not answer within 1.5 s.';

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness', description: 'No key needed. 200 while the process serves requests.' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness', description: 'No key needed. 200 when the database answers, 503 when it does not.' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } } })
  @ApiServiceUnavailableResponse(ProblemResponse(DATABASE_NOT_AVAILABLE))
  async ready() {
    try {
      return await this.health.check([() => this.db.pingCheck('database', { timeout: 1500 })]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        throw new DomainError('service-unavailable', HttpStatus.SERVICE_UNAVAILABLE, DATABASE_NOT_AVAILABLE);
      }
      throw error;
    }
  }
}
