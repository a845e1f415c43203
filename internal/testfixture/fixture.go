// Package testfixture makes, through aws-sdk-go-v2, what a worker pipeline
// needs around it (network, cluster, task role, topics), so that tests and
// benchmarks exercise the code under test only. Everything is deleted when
// the test ends.
package testfixture

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"

	"github.com/calinks/terraform-provider-calinks/internal/sweep"
)

// Region is where fixtures are made.
const Region = "ap-northeast-1"

// Clients are SDK clients for the endpoint of the run (AWS_ENDPOINT_URL).
type Clients struct {
	SQS *sqs.Client
	SNS *sns.Client
	ECS *ecs.Client
	EC2 *ec2.Client
	IAM *iam.Client

	AutoScaling *applicationautoscaling.Client
}

// Fixture is the surroundings of one pipeline.
type Fixture struct {
	Suffix        string
	Cluster       string
	SubnetID      string
	SecurityGroup string
	TaskRoleARN   string
	TopicARNs     []string // FIFO topics
	StandardTopic string
	Clients       Clients
}

// NewClients loads the SDK configuration of the environment.
func NewClients(t testing.TB) Clients {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion(Region))
	Must(t, err)
	return Clients{SQS: sqs.NewFromConfig(cfg), SNS: sns.NewFromConfig(cfg), ECS: ecs.NewFromConfig(cfg), EC2: ec2.NewFromConfig(cfg), IAM: iam.NewFromConfig(cfg),
		AutoScaling: applicationautoscaling.NewFromConfig(cfg)}
}

// New makes a fixture with a random suffix in every name.
func New(t testing.TB) Fixture {
	t.Helper()
	ctx := context.Background()
	c := NewClients(t)
	f := Fixture{Suffix: acctest.RandString(8), Clients: c}

	// A network of its own per fixture: the emulator checks CIDR conflicts
	// against subnets a previous test may not have been able to delete yet.
	octet := 1 + rand.IntN(250)
	vpc, err := c.EC2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(fmt.Sprintf("10.%d.0.0/16", octet))})
	Must(t, err)
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	t.Cleanup(func() { _, _ = c.EC2.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpcID)}) })
	subnet, err := c.EC2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String(fmt.Sprintf("10.%d.1.0/24", octet))})
	Must(t, err)
	f.SubnetID = aws.ToString(subnet.Subnet.SubnetId)
	t.Cleanup(func() { _, _ = c.EC2.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(f.SubnetID)}) })
	sg, err := c.EC2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("fx-" + f.Suffix), Description: aws.String("test worker"), VpcId: aws.String(vpcID)})
	Must(t, err)
	f.SecurityGroup = aws.ToString(sg.GroupId)
	t.Cleanup(func() {
		_, _ = c.EC2.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(f.SecurityGroup)})
	})

	// Tagged like everything tests create, so make sweep finds what a crashed run left.
	tag := "acc/" + f.Suffix
	f.Cluster = "fx-" + f.Suffix
	// Container Insights on, as the ecs-cluster module sets it: backlog
	// autoscaling needs its RunningTaskCount metric.
	_, err = c.ECS.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(f.Cluster),
		Settings: []ecstypes.ClusterSetting{{Name: ecstypes.ClusterSettingNameContainerInsights, Value: aws.String("enabled")}},
		Tags:     []ecstypes.Tag{{Key: aws.String(sweep.TagKey), Value: aws.String(tag)}}})
	Must(t, err)
	t.Cleanup(func() { _, _ = c.ECS.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String(f.Cluster)}) })

	role, err := c.IAM.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("fx-task-" + f.Suffix),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
		Tags:                     []iamtypes.Tag{{Key: aws.String(sweep.TagKey), Value: aws.String(tag)}}})
	Must(t, err)
	f.TaskRoleARN = aws.ToString(role.Role.Arn)
	t.Cleanup(func() { _, _ = c.IAM.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: role.Role.RoleName}) })

	for _, name := range []string{"item", "product"} {
		topic, err := c.SNS.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(fmt.Sprintf("fx-%s-%s.fifo", f.Suffix, name)),
			Attributes: map[string]string{"FifoTopic": "true"}, Tags: []snstypes.Tag{{Key: aws.String(sweep.TagKey), Value: aws.String(tag)}}})
		Must(t, err)
		arn := aws.ToString(topic.TopicArn)
		f.TopicARNs = append(f.TopicARNs, arn)
		t.Cleanup(func() { _, _ = c.SNS.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(arn)}) })
	}
	std, err := c.SNS.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("fx-" + f.Suffix + "-standard"),
		Tags: []snstypes.Tag{{Key: aws.String(sweep.TagKey), Value: aws.String(tag)}}})
	Must(t, err)
	f.StandardTopic = aws.ToString(std.TopicArn)
	t.Cleanup(func() { _, _ = c.SNS.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(f.StandardTopic)}) })
	return f
}

// Must fails the test on an error.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
