import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module';
import { AuditModule } from '../audit/audit.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { ActionsController } from './actions.controller';
import { ActionsService } from './actions.service';
import { QueriesService } from './queries.service';
import { StepActionsController } from './step-actions.controller';

@Module({ imports: [ApplicationsModule, AuditModule, OrganisationsModule], controllers: [ActionsController, StepActionsController], providers: [ActionsService, QueriesService], exports: [ActionsService] })
export class ActionsModule {}
