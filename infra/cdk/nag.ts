import { Stack, Validations } from 'aws-cdk-lib';
// Not re-exported by cdk-nag's index; used so the finding id is rendered exactly as cdk-nag renders it.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one wildcard resource ARN on `scope` (the
 * role or policy). cdk-nag 3 names each finding after the resource as it appears in the template
 * (`<LogicalId>`, `<AWS::Region>` or the literal region when the stack has one), so the id is
 * computed from the ARN rather than written out.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resourceArn: string, reason: string): void {
  const rendered = flattenCfnReference(Stack.of(scope).resolve(resourceArn));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${rendered}]`, reason });
}
