import { Client, Connection } from '@temporalio/client';

/** A Temporal client for the API and tools. */
export async function connectTemporal(address: string, namespace: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace });
}
