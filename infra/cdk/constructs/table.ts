import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
  type ITable,
} from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TABLE } from '../../topology.js';

export interface CsmsTableProps {
  /**
   * What happens to the table when it leaves the stack. It holds every station, transaction and
   * secret hash: keep it unless this is a throwaway test deployment.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * DynamoDB deletion protection: nobody (a console click, a CLI call, CloudFormation replacing
   * the table) can delete it until this is turned off.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/** The one DynamoDB table, exactly as topology TABLE describes it. */
export class CsmsTable extends Construct {
  public readonly table: Table;

  constructor(scope: Construct, id: string, props: CsmsTableProps = {}) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      deletionProtection: props.deletionProtection ?? true,
    });
    for (const index of TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection],
      });
    }
  }
}

/**
 * The table of an earlier deployment (retained when its stack was destroyed), adopted by name.
 * The functions only need its name and ARN: grants name the index (topology TABLE) explicitly and
 * nothing reads a stream (the table has none), so neither the stream ARN nor the index list has
 * to be given.
 */
export function importCsmsTable(scope: Construct, id: string, tableName: string): ITable {
  return Table.fromTableAttributes(scope, id, { tableName });
}

/** Item reads the functions use. No Scan: the data model is Query-only (see ARCHITECTURE.md, Data). */
const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/**
 * Grants item access on the table and on each index that topology TABLE declares, by name:
 * unlike `Table.grantReadWriteData` (which adds `index/*`) this needs no wildcard.
 */
export function grantTableData(table: ITable, grantee: IGrantable, access: 'read' | 'readWrite'): Grant {
  return Grant.addToPrincipal({
    grantee,
    actions: access === 'read' ? READ_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS],
    resourceArns: [table.tableArn, ...TABLE.indexes.map((index) => `${table.tableArn}/index/${index.name}`)],
  });
}
