import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ShipwatchAlarmsProps {
  alertsTopic: sns.ITopic;
  /** Dead-letter queues whose first message means work was lost, by a readable name. */
  deadLetterQueues: Record<string, sqs.IQueue>;
}

/** Alarms that page through the alerts topic (and its optional email subscription). */
export class ShipwatchAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ShipwatchAlarmsProps) {
    super(scope, id);
    const notify = new actions.SnsAction(props.alertsTopic);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      const alarm = new cloudwatch.Alarm(this, `${name}DeadLetters`, {
        alarmDescription: `Messages in the ${name} dead-letter queue: jobs failed every retry and need a look (then a redrive).`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        threshold: 0,
        evaluationPeriods: 1,
        // SQS stops reporting for idle queues; an idle dead-letter queue is the healthy state.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      this.alarms.push(alarm);
    }
  }
}
