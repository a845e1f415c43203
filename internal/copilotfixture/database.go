package copilotfixture

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// Database is an Aurora storage add-on as Copilot made it.
type Database struct {
	ClusterIdentifier, ClusterARN, WriterIdentifier, SubnetGroupName string
	// ClusterSecurityGroupID is the cluster's own group; Copilot's services
	// connect from WorkloadSecurityGroupID.
	ClusterSecurityGroupID, WorkloadSecurityGroupID string
	// SecretARN holds the master user's name and password, which Copilot's
	// services read.
	SecretARN string
}

// DatabaseMasterUser is the master user of Copilot's MySQL template.
const DatabaseMasterUser = "admin"

// Database makes `copilot storage init -t Aurora -n <name> --engine MySQL
// --initial-db <initialDB> -l environment` as its template renders it
// (addons/aurora/env/serverlessv2.yml): a subnet group of the private
// subnets, the cluster's and the workloads' security groups, the master
// secret, a cluster parameter group, an unencrypted Aurora MySQL 3.02.0
// cluster with Serverless v2 capacity 0.5 to 8, and a db.serverless writer.
func (e *Estate) Database(network Network, name, initialDB string) Database {
	ctx := context.Background()
	client := rds.NewFromConfig(e.cfg)
	ec2Client := ec2.NewFromConfig(e.cfg)
	var tags []rdstypes.Tag
	for k, v := range e.tags("") {
		tags = append(tags, rdstypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	d := Database{}

	d.WorkloadSecurityGroupID = e.securityGroup(network.VPCID, e.addonsPhysicalName(name+"WorkloadSecurityGroup", 255),
		"The Security Group to access Aurora Serverless v2 cluster "+name+".", fmt.Sprintf("copilot-%s-%s-AuroraCluster", e.App, e.Env))
	d.ClusterSecurityGroupID = e.securityGroup(network.VPCID, e.addonsPhysicalName(name+"DBClusterSecurityGroup", 255),
		"The Security Group for the Aurora Serverless v2 cluster.", fmt.Sprintf("copilot-%s-%s-AuroraCluster", e.App, e.Env))
	_, err := ec2Client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(d.ClusterSecurityGroupID),
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(3306), ToPort: aws.Int32(3306),
			UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(d.WorkloadSecurityGroupID), Description: aws.String("Ingress from one or more workloads in the environment.")}}}}})
	must(e.t, err)

	sm := secretsmanager.NewFromConfig(e.cfg)
	var secretTags []smtypes.Tag
	for k, v := range e.tags("") {
		secretTags = append(secretTags, smtypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	password := CloudFormationSuffix() + CloudFormationSuffix()[:4] // 16 characters, no punctuation
	secret, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name + "AuroraSecret-" + CloudFormationSuffix()),
		SecretString: aws.String(mustJSON(map[string]string{"username": DatabaseMasterUser, "password": password})), Tags: secretTags})
	must(e.t, err)
	d.SecretARN = aws.ToString(secret.ARN)
	e.cleanup(func() {
		_, _ = sm.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String(d.SecretARN), ForceDeleteWithoutRecovery: aws.Bool(true)})
	})

	d.SubnetGroupName = e.addonsPhysicalName(name+"DBSubnetGroup", 255)
	_, err = client.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String(d.SubnetGroupName),
		DBSubnetGroupDescription: aws.String("Group of private subnets for Aurora Serverless v2 cluster."), SubnetIds: network.PrivateSubnetIDs, Tags: tags})
	must(e.t, err)
	e.cleanup(func() {
		_, _ = client.DeleteDBSubnetGroup(ctx, &rds.DeleteDBSubnetGroupInput{DBSubnetGroupName: aws.String(d.SubnetGroupName)})
	})
	parameterGroup := e.addonsPhysicalName(name+"DBClusterParameterGroup", 255)
	_, err = client.CreateDBClusterParameterGroup(ctx, &rds.CreateDBClusterParameterGroupInput{DBClusterParameterGroupName: aws.String(parameterGroup),
		DBParameterGroupFamily: aws.String("aurora-mysql8.0"), Description: aws.String(e.addonsStack), Tags: tags})
	must(e.t, err)
	_, err = client.ModifyDBClusterParameterGroup(ctx, &rds.ModifyDBClusterParameterGroupInput{DBClusterParameterGroupName: aws.String(parameterGroup),
		Parameters: []rdstypes.Parameter{{ParameterName: aws.String("character_set_client"), ParameterValue: aws.String("utf8"), ApplyMethod: rdstypes.ApplyMethodImmediate}}})
	must(e.t, err)
	e.cleanup(func() {
		_, _ = client.DeleteDBClusterParameterGroup(ctx, &rds.DeleteDBClusterParameterGroupInput{DBClusterParameterGroupName: aws.String(parameterGroup)})
	})

	d.ClusterIdentifier = e.addonsPhysicalName(name+"DBCluster", 63)
	cluster, err := client.CreateDBCluster(ctx, &rds.CreateDBClusterInput{DBClusterIdentifier: aws.String(d.ClusterIdentifier), Engine: aws.String("aurora-mysql"),
		EngineVersion: aws.String("8.0.mysql_aurora.3.02.0"), DatabaseName: aws.String(initialDB), MasterUsername: aws.String(DatabaseMasterUser),
		MasterUserPassword: aws.String(password), DBClusterParameterGroupName: aws.String(parameterGroup), DBSubnetGroupName: aws.String(d.SubnetGroupName),
		Port: aws.Int32(3306), VpcSecurityGroupIds: []string{d.ClusterSecurityGroupID},
		ServerlessV2ScalingConfiguration: &rdstypes.ServerlessV2ScalingConfiguration{MinCapacity: aws.Float64(0.5), MaxCapacity: aws.Float64(8)}, Tags: tags})
	must(e.t, err)
	d.ClusterARN = aws.ToString(cluster.DBCluster.DBClusterArn)
	e.cleanup(func() {
		_, _ = client.DeleteDBCluster(ctx, &rds.DeleteDBClusterInput{DBClusterIdentifier: aws.String(d.ClusterIdentifier), SkipFinalSnapshot: aws.Bool(true)})
	})
	d.WriterIdentifier = e.addonsPhysicalName(name+"DBWriterInstance", 63)
	_, err = client.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{DBInstanceIdentifier: aws.String(d.WriterIdentifier), DBClusterIdentifier: aws.String(d.ClusterIdentifier),
		DBInstanceClass: aws.String("db.serverless"), Engine: aws.String("aurora-mysql"), PromotionTier: aws.Int32(1),
		AvailabilityZone: aws.String(e.cfg.Region + "a"), Tags: tags})
	must(e.t, err)
	e.cleanup(func() {
		_, _ = client.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String(d.WriterIdentifier), SkipFinalSnapshot: aws.Bool(true)})
	})
	must(e.t, rds.NewDBInstanceAvailableWaiter(client).Wait(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(d.WriterIdentifier)}, 10*time.Minute))
	return d
}
