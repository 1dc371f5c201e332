/**
 * The station CA's key on AWS (docs/adr/0014-station-ca.md): a KMS asymmetric key, ECC_NIST_P256
 * for SIGN_VERIFY, retained on delete (every certificate a station holds chains to it). The CSMS
 * builds certificates and has KMS sign them (shared/pki/kms.ts); the private key never leaves KMS.
 * About $1 a month plus $0.15 per 10,000 signatures, from the first station to the last.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ENV } from '../../topology.js';

/** What a function that issues certificates may do with the key: sign, and read its public key. */
export const STATION_CA_ACTIONS = ['kms:Sign', 'kms:GetPublicKey'] as const;

export class StationCa extends Construct {
  public readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'CSMS station CA: signs charging station certificates (SignCertificate); never leaves KMS',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

/**
 * Lets `fn` issue station certificates with the key: kms:Sign and kms:GetPublicKey on this key
 * only (an identity policy; the key policy trusts the account, CDK's default), and tells it the key.
 */
export function grantStationCaSigning(
  fn: Pick<LambdaFunction, 'addToRolePolicy' | 'addEnvironment'>,
  keyArn: string,
): void {
  fn.addToRolePolicy(new PolicyStatement({ actions: [...STATION_CA_ACTIONS], resources: [keyArn] }));
  fn.addEnvironment(ENV.caKmsKeyId, keyArn);
}
