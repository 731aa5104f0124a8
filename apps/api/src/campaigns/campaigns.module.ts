import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ExportsModule } from '../exports/exports.module';
import { FilesModule } from '../files/files.module';
import { BatchJobsService } from './batch-jobs.service';
import { CampaignSetupController } from './campaign-setup.controller';
import { CampaignSetupService } from './campaign-setup.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { CityReportsService } from './city-reports.service';
import { DeadlinesService } from './deadlines.service';
import { QuotasService } from './quotas.service';

@Module({
  imports: [AuditModule, FilesModule, ExportsModule],
  controllers: [CampaignsController, CampaignSetupController],
  providers: [CampaignsService, CampaignSetupService, DeadlinesService, QuotasService, CityReportsService, BatchJobsService],
  exports: [CampaignsService, QuotasService],
})
export class CampaignsModule {}
