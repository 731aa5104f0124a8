import { Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Repositories } from '@jiebang/db';
import { ApiConfig } from '@jiebang/runtime';
import { TemporalGateway } from '../temporal/temporal.gateway';
import { ApiController } from '../common/endpoint.decorator';

export class HealthDto {
  @ApiProperty({ enum: ['up', 'degraded'] }) status!: 'up' | 'degraded';
  @ApiProperty({ enum: ['up', 'down'] }) postgres!: 'up' | 'down';
  @ApiProperty({ enum: ['up', 'down'] }) temporal!: 'up' | 'down';
  @ApiProperty() namespace!: string;
  @ApiProperty() time!: string;
}

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

@ApiController('health', 'health', { public: true })
export class HealthController {
  constructor(
    private readonly db: Repositories,
    private readonly temporal: TemporalGateway,
    private readonly cfg: ApiConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness of the API and its dependencies (PostgreSQL, Temporal)' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthDto> {
    const [postgres, temporal] = await Promise.all([
      within(2000, this.db.ping()).then(() => 'up' as const, () => 'down' as const),
      within(2000, this.temporal.ping()).then(
        () => 'up' as const,
        () => 'down' as const,
      ),
    ]);
    const ok = postgres === 'up' && temporal === 'up';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'up' : 'degraded', postgres, temporal, namespace: this.cfg.TEMPORAL_NAMESPACE, time: new Date().toISOString() };
  }
}
