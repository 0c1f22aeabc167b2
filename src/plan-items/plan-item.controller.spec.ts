import { PATH_METADATA } from '@nestjs/common/constants.js';
import { PLAN_ITEM_KINDS } from '../plan-item-kinds.js';
import { planItemController } from './plan-item.controller.js';

describe('the routes of a kind of plan item', () => {
  it.each(PLAN_ITEM_KINDS)('come from its descriptor, its revisions included ($routes.path)', (kind) => {
    const prototype = planItemController(kind).prototype as Record<string, object>;
    const paths = Object.getOwnPropertyNames(prototype)
      .filter((name) => name !== 'constructor')
      .map((name) => Reflect.getMetadata(PATH_METADATA, prototype[name]) as string);
    const { path, param } = kind.routes;
    expect(paths.sort()).toEqual(
      [
        `clusters/:clusterId/${path}`,
        `clusters/:clusterId/${path}`,
        `${path}/:${param}`,
        `${path}/:${param}`,
        `${path}/:${param}`,
        `${path}/:${param}/status-updates`,
        `${path}/:${param}/status-updates`,
        `${path}/:${param}/revisions`,
      ].sort(),
    );
  });
});
