import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ShipwatchFunction } from './shipwatch-function.ts';

/** Below this prefix the sync writes the index; the image scanner's SHIPWATCH_VULN_DB points here. */
export const VULN_INDEX_PREFIX = 'index/';

/**
 * Vulnerability data: a bucket with the OSV ecosystem exports (`osv/<Ecosystem>/all.zip`) and the
 * index built from them (`index/`), refreshed daily by the vulndb-sync function.
 */
export class VulnData extends Construct {
  readonly bucket: s3.Bucket;
  readonly sync: ShipwatchFunction;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      // Each daily sync overwrites the objects; older versions are only kept for a rollback.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(7), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      // Public data that the sync can rebuild at any time.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds public OSV advisory data, written only by the vulndb-sync role and read by the ' +
        'image scanner; access logs would record nothing but those two roles. CloudTrail covers the API calls.',
    });

    this.sync = new ShipwatchFunction(this, 'Sync', {
      name: 'vulndb-sync',
      description: 'Downloads the OSV ecosystem exports into S3 and rebuilds the vulnerability index',
      // Exports are read whole into memory (the zip directory sits at the end of the file).
      memorySize: 3008,
      timeout: Duration.minutes(15),
      reservedConcurrentExecutions: 1,
      environment: { SHIPWATCH_VULN_BUCKET: this.bucket.bucketName },
    });
    this.sync.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.bucket.arnForObjects('osv/*'), this.bucket.arnForObjects(`${VULN_INDEX_PREFIX}*`)],
      }),
    );
    // Without ListBucket a missing manifest reads as AccessDenied instead of NoSuchKey.
    this.sync.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    this.acknowledgeObjectWildcard(this.sync.role, 'osv/', 'The sync keeps one export per configured OSV ecosystem below osv/.');
    this.acknowledgeObjectWildcard(this.sync.role, VULN_INDEX_PREFIX, 'The sync writes one index file per configured ecosystem plus the manifest below index/.');

    new events.Rule(this, 'Daily', {
      description: 'Refreshes the OSV vulnerability data once a day',
      schedule: events.Schedule.rate(Duration.days(1)),
      targets: [new targets.LambdaFunction(this.sync.function, { retryAttempts: 2 })],
    });
  }

  /** `s3://bucket/index/`: the value of SHIPWATCH_VULN_DB for the image scanner. */
  get indexUri(): string {
    return `s3://${this.bucket.bucketName}/${VULN_INDEX_PREFIX}`;
  }

  /** Read access to the index only (the image scanner), acknowledged for cdk-nag on the grantee. */
  grantReadIndex(grantee: iam.IGrantable & Construct): iam.Grant {
    this.acknowledgeObjectWildcard(grantee, VULN_INDEX_PREFIX, 'The scanner reads the index files of the ecosystems an image has packages of, below index/.');
    return iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [this.bucket.arnForObjects(`${VULN_INDEX_PREFIX}*`)] });
  }

  /** cdk-nag names object wildcards by the bucket's logical id: `<Id.Arn>/prefix/*`. */
  private acknowledgeObjectWildcard(scope: Construct, prefix: string, reason: string): void {
    const stack = Stack.of(this);
    const bucketId = stack.resolve(stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)) as string;
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`, reason });
  }
}
