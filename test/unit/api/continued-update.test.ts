/** An action Update that meets its run's continue-as-new is sent again, to the new run (three tries in all). */
import { WorkflowNotFoundError } from '@temporalio/client';
import { abortedByContinueAsNew, executeActionUpdate } from '@jiebang/workflows/client';

const aborted = () => new WorkflowNotFoundError('workflow update was aborted by closing workflow', 'JB-1', undefined);

test('an Update aborted by the run continuing as new is sent again and answers from the new run', async () => {
  const send = jest.fn().mockRejectedValueOnce(aborted()).mockResolvedValueOnce({ seq: 7 });
  await expect(executeActionUpdate(send)).resolves.toEqual({ seq: 7 });
  expect(send).toHaveBeenCalledTimes(2);
});

test('a workflow that has really ended, or any other error, is not retried', async () => {
  const ended = new WorkflowNotFoundError('workflow execution already completed', 'JB-1', undefined);
  const send = jest.fn().mockRejectedValue(ended);
  await expect(executeActionUpdate(send)).rejects.toBe(ended);
  expect(send).toHaveBeenCalledTimes(1);
  expect(abortedByContinueAsNew(new Error('workflow update was aborted by closing workflow'))).toBe(false);
});

test('tries stop after three aborts', async () => {
  const send = jest.fn().mockRejectedValue(aborted());
  await expect(executeActionUpdate(send)).rejects.toBeInstanceOf(WorkflowNotFoundError);
  expect(send).toHaveBeenCalledTimes(3);
});
