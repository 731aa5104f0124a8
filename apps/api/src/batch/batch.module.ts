import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { BatchController } from './batch.controller';
import { BatchRecommendService } from './batch-recommend.service';

@Module({ imports: [ActionsModule, CampaignsModule], controllers: [BatchController], providers: [BatchRecommendService] })
export class BatchModule {}
