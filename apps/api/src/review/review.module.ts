import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { ApplicationsModule } from '../applications/applications.module';
import { AuditModule } from '../audit/audit.module';
import { ExpertReviewService } from './expert-review.service';
import { FormalCheckService } from './formal-check.service';
import { ExpertController, ReviewController } from './review.controller';
import { DefenceCampaignController, DefenceController } from './defence.controller';
import { DefenceService } from './defence.service';
import { SelectionController } from './selection.controller';
import { SelectionService } from './selection.service';
import { AcceptanceController, AcceptanceExpertController } from './acceptance.controller';
import { AcceptanceService } from './acceptance.service';

@Module({ imports: [ActionsModule, ApplicationsModule, AuditModule], controllers: [ReviewController, ExpertController, SelectionController, DefenceCampaignController, DefenceController, AcceptanceController, AcceptanceExpertController], providers: [FormalCheckService, ExpertReviewService, SelectionService, DefenceService, AcceptanceService] })
export class ReviewModule {}
