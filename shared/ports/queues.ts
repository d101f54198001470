/** Port: SQS queue depth. Adapter: shared/aws/sqs-queues.ts; simulator: shared/sim. */

/** SQS's approximate counts, as GetQueueAttributes reports them. */
export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
}

export interface QueuesPort {
  /** Reads ApproximateNumberOfMessages(+NotVisible, +Delayed) of one queue. */
  depth(queueUrl: string): Promise<QueueDepth>;
}
