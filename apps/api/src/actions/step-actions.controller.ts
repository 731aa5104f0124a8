import type { StepActionType } from '@jiebang/domain';
import { ActionCall, ActionEndpoint } from './action-endpoint';
import type { ActionEndpoints } from './actions.controller';
import { ActionsService } from './actions.service';
import { ApiController } from '../common/endpoint.decorator';

/** The endpoints of the step actions (libs/domain/src/actions-steps.ts), as ActionsController's. */
@ApiController('actions', 'api/v1/applications/:id')
export class StepActionsController implements ActionEndpoints<StepActionType> {
  constructor(private readonly actions: ActionsService) {}

  @ActionEndpoint('changeTask')
  changeTask(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('formalCheck')
  formalCheck(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('openSupplement')
  openSupplement(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('replaceMaterial')
  replaceMaterial(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('closeSupplement')
  closeSupplement(@ActionCall() call: ActionCall) { return this.actions.act(call); }
}
