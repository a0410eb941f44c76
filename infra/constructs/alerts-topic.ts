import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlertsTopicProps {
  /** Optional address subscribed by email (the recipient confirms it once). */
  alarmEmail?: string;
}

/**
 * The alerts topic: notify publishes findings to it (message attributes severity, source, ruleId)
 * and the CloudWatch alarms publish to it. Encrypted with a customer managed key because the AWS
 * managed SNS key cannot be opened to CloudWatch.
 */
export class AlertsTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlertsTopicProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      description: 'Shipwatch alerts topic encryption',
      enableKeyRotation: true,
    });

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Shipwatch alerts',
      masterKey: this.key,
      enforceSSL: true,
    });

    // CloudWatch alarms publish to the topic, so they need the key and the topic. The key statement
    // follows the documented form (no source condition); the topic statement limits publishing to
    // this account's alarms, which is where a confused deputy would have to get through.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );

    if (props.alarmEmail) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }
  }

  /**
   * Publishing to a KMS-encrypted topic also needs the data key. Same as `grants.publish()` but
   * with kms:GenerateDataKey spelled out instead of `kms:GenerateDataKey*`.
   */
  grantPublish(grantee: iam.IGrantable): iam.Grant {
    return this.topic.grants.actions(grantee, ['sns:Publish'], {
      keyActions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    });
  }
}
