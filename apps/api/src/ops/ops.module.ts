import { Global, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsService } from '../metrics/metrics.service';
import { OpsController } from './ops.controller';
import { OpsService } from './ops.service';
import { RepairRequestsController } from './repair-requests.controller';
import { RepairService } from './repair.service';
import { StuckService } from './stuck.service';

@Global()
@Module({
  imports: [AuditModule],
  controllers: [OpsController, RepairRequestsController, MetricsController],
  providers: [StuckService, RepairService, OpsService, MetricsService],
  exports: [MetricsService, StuckService],
})
export class OpsModule {}
