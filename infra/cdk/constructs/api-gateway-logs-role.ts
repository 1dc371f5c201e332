import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * The account-wide (per region) role API Gateway writes REST and WebSocket API logs with. A
 * WebSocket stage with access logging fails to deploy ("CloudWatch Logs role ARN must be set in
 * account settings") until the account has one; HTTP APIs do not need it.
 */
export class ApiGatewayLogsRole extends Construct {
  public readonly role: Role;
  public readonly account: CfnAccount;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway account setting: lets API Gateway write REST and WebSocket API logs',
      managedPolicies: [
        ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
      ],
    });
    // Deleting the stack does not reset the account setting, and other APIs of the account may
    // log through it by then: leave the role in place (as aws-apigateway's RestApi does).
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.account = new CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'This role is the account-wide API Gateway logging role, used by every API of the account ' +
        'and region, so it cannot be scoped to this stack’s log groups; AWS maintains this managed ' +
        'policy for exactly this purpose.',
    });
  }
}
