import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { MetricsAccess } from '../auth/auth.decorators.js';
import { Registry } from 'prom-client';
import { Metrics } from './metrics.js';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  /**
   * Prometheus's text format, at the root beside the health checks (where scrapers look). For an admin key, or
   * `Authorization: Bearer <METRICS_TOKEN>` so that a scraper needs no API key. Not in the OpenAPI document: it is
   * for operators (see the README), and its body is not JSON.
   */
  @Get()
  @MetricsAccess()
  @ApiExcludeEndpoint()
  @Header('content-type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('cache-control', 'no-store')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
