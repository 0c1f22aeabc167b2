import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentCaller, Public } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest, ApiNotFound } from '../common/api-responses.js';
import { UuidParam } from '../common/validation.js';
import { ChainPage, ChainQueryDto, Jwks, StatementResponse } from './statements.dto.js';
import { CHAIN_PAGE, StatementsService } from './statements.service.js';

/** Where the public keys are published: outside /api/v1, like other well-known documents. */
export const KEYS_PATH = '.well-known/styrman-keys';

@ApiTags('signatures')
@Controller()
export class StatementsController {
  constructor(private readonly statements: StatementsService) {}

  @Get('report-submissions/:submissionId/statement')
  @Auth()
  @ApiOperation({
    summary: "A submission's signed statement",
    description:
      'Any key that may read the submission. What was signed (the exact JSON text, signed with Ed25519), its signature and the id of the ' +
      'key in `/.well-known/styrman-keys` that verifies it. With the report (`GET /report-submissions/{id}/report`) and the keys, ' +
      '`examples/verify-report.mjs` checks offline that the report is the one submitted.',
  })
  @ApiOkResponse({ type: StatementResponse })
  @ApiBadRequest('submissionId is not a UUID.')
  @ApiNotFound('report submission')
  statement(@CurrentCaller() caller: Caller, @UuidParam('submissionId') id: string): Promise<StatementResponse> {
    return this.statements.statementOf(caller, id);
  }

  @Get('statements')
  @Auth()
  @ApiOperation({
    summary: 'The chain of statements',
    description:
      `Any key. Every submission signed by this instance, in chain order, ${CHAIN_PAGE} a page: its position, the SHA-256 of what was signed and the ` +
      'SHA-256 of the one before it — no content, so any key may read the whole chain and see that none was removed or reordered. ' +
      'Follow `next` as `after` until it is null.',
  })
  @ApiOkResponse({ type: ChainPage })
  @ApiBadRequest('after is not a whole number from 0.')
  chain(@Query() query: ChainQueryDto): Promise<ChainPage> {
    return this.statements.chain(query.after);
  }

  @Get(KEYS_PATH)
  @Public()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: 'The public keys that sign statements (JWKS)',
    description:
      'No key needed. Every Ed25519 public key this instance ever signed with, as a JSON Web Key Set (`kty: OKP`, `crv: Ed25519`, `kid`): ' +
      'a key stays published after it is rotated, so older statements keep verifying.',
  })
  @ApiOkResponse({ type: Jwks })
  keys(): Promise<Jwks> {
    return this.statements.keys();
  }
}
