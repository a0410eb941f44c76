import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Our sources are ESM; some bundled dependencies are CommonJS and call `require` for Node
 * built-ins or read `__dirname` (sql.js), which an ESM bundle only has when we create them.
 * Aliased so it cannot clash with a bundled module's own `createRequire` import.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __shipwatchCreateRequire } from 'node:module'; " +
  'const require = __shipwatchCreateRequire(import.meta.url); ' +
  'const __filename = import.meta.filename; const __dirname = import.meta.dirname;';

export interface ShipwatchFunctionProps {
  /** Folder under functions/ holding handler.ts; also the service name in logs and metrics. */
  name: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  reservedConcurrentExecutions?: number;
  environment?: Record<string, string>;
  /** Files the code loads at run time that esbuild cannot bundle (WebAssembly), relative to the repository root; copied into the asset at the same path. */
  runtimeFiles?: readonly string[];
}

/**
 * One Lambda function the Shipwatch way: functions/<name>/handler.ts bundled by the local esbuild
 * (ESM, minified, source maps), nodejs22.x on arm64, X-Ray, its own log group kept a month, and its
 * own role that starts with nothing but writing to that log group (no managed policies).
 */
export class ShipwatchFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ShipwatchFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Shipwatch ${props.name} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      description: props.description,
      entry: `${REPO_ROOT}functions/${props.name}/handler.ts`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: `shipwatch-${props.name}`,
        POWERTOOLS_METRICS_NAMESPACE: 'Shipwatch',
        LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Ship the SDK version the code was tested with instead of whatever the runtime carries.
        bundleAwsSDK: true,
        logLevel: nodejs.LogLevel.WARNING,
        ...(props.runtimeFiles?.length ? { commandHooks: copyAfterBundling(props.runtimeFiles) } : {}),
      },
    });

    // CDK makes the function depend on its role construct: the role AND its policy. The policy
    // dependency matters (event source mappings check the role's permissions when created); the
    // role one repeats the Role GetAtt, which cfn-lint reports as W3005. Keep CDK's ordering.
    const cfnFunction = this.function.node.defaultChild as lambda.CfnFunction;
    cfnFunction.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x on purpose: the code is developed and tested on Node 20/22 and Node 22 is a ' +
        'supported LTS Lambda runtime. Moving to nodejs24.x is a deliberate, tested upgrade.',
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level ' +
        'permissions, so AWS requires Resource "*" for them (added by Tracing.ACTIVE).',
    });
  }
}

/** Local bundling runs these shell commands after esbuild: each file lands at its repository path inside the asset. */
function copyAfterBundling(files: readonly string[]): nodejs.ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) => files.flatMap((file) => [`mkdir -p "${outputDir}/${dirname(file)}"`, `cp "${REPO_ROOT}${file}" "${outputDir}/${file}"`]),
  };
}
