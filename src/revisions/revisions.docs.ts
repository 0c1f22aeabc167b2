import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators.js';
import { ApiBadRequest, ApiNotFound } from '../common/api-responses.js';
import { withArticle } from '../common/text.js';
import { RevisionPage } from './dto/revision.dto.js';

/** Who may read the revisions of a plan item. */
export const PLAN_READERS = 'Any key that may read its cluster; archived ones too.';

/** The documentation every revisions route shares; `operationId` where the route is not a method of RevisionsController. */
export function RevisionsOf(what: string, readers: string, operationId?: string): MethodDecorator {
  return applyDecorators(
    Auth(),
    ApiOperation({
      summary: `The revisions of ${withArticle(what)}, newest first`,
      description:
        `${readers} Every write (creation, change, status update, archiving) made one revision: the version it made, ` +
        'when, who, and what changed field by field (`{ field, from, to }`, nested fields as `indicator.target`). ' +
        'A change that changed nothing made none. Revisions are never changed or deleted.',
      ...(operationId ? { operationId } : {}),
    }),
    ApiOkResponse({ type: RevisionPage }),
    ApiBadRequest(),
    ApiNotFound(what),
  );
}
