import { Body, Controller, Delete, Get, HttpCode, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators.js';
import { ApiBadRequest, ApiConflict, ApiNotFound, ApiUnprocessable } from '../common/api-responses.js';
import { PageOf } from '../common/page.dto.js';
import type { Page } from '../common/pagination.js';
import { UuidParam } from '../common/validation.js';
import { SecretInResponse } from '../idempotency/idempotency.interceptor.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeyResponse, CreateApiKeyDto, CreatedApiKeyResponse, ListApiKeysQueryDto } from './dto/api-key.dto.js';
import { WithETag } from '../common/etag.js';
import { IdempotentPost } from '../idempotency/idempotent-post.js';

const ApiKeyPage = PageOf(ApiKeyResponse, 'ApiKeyPage');

@ApiTags('keys')
@Controller('api-keys')
@Auth('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @IdempotentPost()
  @ApiOperation({
    summary: 'Create an API key',
    description:
      'Admin keys only. The answer carries the secret once; Styrman keeps only its hash. ' +
      'With an `Idempotency-Key`, a retry is not a replay: the secret is not kept anywhere, so the retry answers 409 naming ' +
      'the id of the key the first request created (one key, never two). If the secret was lost, revoke that key and create another.',
  })
  @SecretInResponse({
    fields: ['secret'],
    did: (id) => (id ? `created API key ${id}` : 'created an API key'),
    lost: 'If the secret was lost, revoke that key and create another.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  @ApiConflict(
    'A retry with the Idempotency-Key of a key already created (its id is in the detail; the secret is not shown again), ' +
      'or one still being processed.',
  )
  @ApiBadRequest()
  @ApiUnprocessable('clusterIds or funderId missing for the role, given for another role, or naming nothing.')
  create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.keys.create(dto);
  }

  @Get()
  @WithETag()
  @ApiOperation({ summary: 'List API keys', description: 'Admin keys only. Secrets are never shown, only their prefix.' })
  @ApiOkResponse({ type: ApiKeyPage })
  @ApiBadRequest()
  list(@Query() query: ListApiKeysQueryDto): Promise<Page<ApiKeyResponse>> {
    return this.keys.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get an API key', description: 'Admin keys only.' })
  @ApiOkResponse({ type: ApiKeyResponse })
  @ApiBadRequest('id is not a UUID.')
  @ApiNotFound('API key')
  get(@UuidParam('id') id: string): Promise<ApiKeyResponse> {
    return this.keys.get(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke an API key',
    description: 'Admin keys only. The key stops working within seconds on every instance; revoking again is fine.',
  })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked).' })
  @ApiNotFound('API key')
  @ApiConflict('This is the last active admin key.')
  revoke(@UuidParam('id') id: string): Promise<void> {
    return this.keys.revoke(id);
  }
}
