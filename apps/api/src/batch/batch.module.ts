import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { AuditModule } from '../audit/audit.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { BatchController } from './batch.controller';
import { BatchRecommendService } from './batch-recommend.service';
import { BulkActionsController } from './bulk-actions.controller';
import { BulkActionsService } from './bulk-actions.service';

@Module({ imports: [ActionsModule, AuditModule, CampaignsModule], controllers: [BatchController, BulkActionsController], providers: [BatchRecommendService, BulkActionsService] })
export class BatchModule {}
