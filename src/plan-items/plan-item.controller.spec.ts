import { PATH_METADATA } from '@nestjs/common/constants.js';
import { ACTIVITY } from '../activities/activity.kind.js';
import { GOAL } from '../goals/goal.kind.js';
import { FRUIT } from '../low-hanging-fruits/low-hanging-fruit.kind.js';
import { RISK } from '../risks/risk.kind.js';
import { planItemController } from './plan-item.controller.js';

describe('the routes of a kind of plan item', () => {
  it.each([GOAL, ACTIVITY, FRUIT, RISK])('come from its descriptor, its revisions included ($routes.path)', (kind) => {
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
