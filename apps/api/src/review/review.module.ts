import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { FormalCheckService } from './formal-check.service';
import { ReviewController } from './review.controller';

@Module({ imports: [ActionsModule], controllers: [ReviewController], providers: [FormalCheckService] })
export class ReviewModule {}
