package provider

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
)

// testAccProtoV6ProviderFactories serves the provider under test in-process.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"calinks": providerserver.NewProtocol6WithError(New("test")()),
}

const testAccRegion = "ap-northeast-1"

// testAccProviderConfig points the provider at the endpoint of the run
// (AWS_ENDPOINT_URL is read by the SDK) and keeps retries short against it.
func testAccProviderConfig() string {
	maxAttempts := 25
	if os.Getenv("AWS_ENDPOINT_URL") != "" {
		maxAttempts = 2
	}
	return fmt.Sprintf(`
provider "calinks" {
  region       = %q
  max_attempts = %d
  default_tags {
    tags = { "calinks:test" = "acc" }
  }
}
`, testAccRegion, maxAttempts)
}

// testClients are SDK clients for checks outside the provider.
type testClients struct {
	sqs *sqs.Client
	sns *sns.Client
	ecs *ecs.Client
	ec2 *ec2.Client
	iam *iam.Client
}

func newTestClients(t *testing.T) testClients {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion(testAccRegion))
	if err != nil {
		t.Fatalf("loading AWS config: %v", err)
	}
	return testClients{sqs: sqs.NewFromConfig(cfg), sns: sns.NewFromConfig(cfg), ecs: ecs.NewFromConfig(cfg), ec2: ec2.NewFromConfig(cfg), iam: iam.NewFromConfig(cfg)}
}

// accFixture is what a pipeline needs around it, made through the SDK so
// that the tests exercise this provider only.
type accFixture struct {
	suffix        string
	cluster       string
	subnetID      string
	securityGroup string
	taskRoleARN   string
	topicARNs     []string // FIFO topics
	standardTopic string
	clients       testClients
}

func newAccFixture(t *testing.T) accFixture {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	ctx := context.Background()
	c := newTestClients(t)
	f := accFixture{suffix: acctest.RandString(8), clients: c}

	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.90.0.0/16")})
	must(t, err)
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	t.Cleanup(func() { _, _ = c.ec2.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpcID)}) })
	subnet, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String("10.90.1.0/24"),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSubnet, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("acc-" + f.suffix)}}}}})
	must(t, err)
	f.subnetID = aws.ToString(subnet.Subnet.SubnetId)
	t.Cleanup(func() { _, _ = c.ec2.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(f.subnetID)}) })

	sg, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("acc-" + f.suffix), Description: aws.String("acceptance test worker"), VpcId: aws.String(vpcID)})
	must(t, err)
	f.securityGroup = aws.ToString(sg.GroupId)
	t.Cleanup(func() {
		_, _ = c.ec2.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(f.securityGroup)})
	})

	f.cluster = "acc-" + f.suffix
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(f.cluster)})
	must(t, err)
	t.Cleanup(func() { _, _ = c.ecs.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String(f.cluster)}) })

	role, err := c.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("acc-task-" + f.suffix),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	must(t, err)
	f.taskRoleARN = aws.ToString(role.Role.Arn)
	t.Cleanup(func() { _, _ = c.iam.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: role.Role.RoleName}) })

	for _, name := range []string{"item", "product"} {
		topic, err := c.sns.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(fmt.Sprintf("acc-%s-%s.fifo", f.suffix, name)),
			Attributes: map[string]string{"FifoTopic": "true"}})
		must(t, err)
		arn := aws.ToString(topic.TopicArn)
		f.topicARNs = append(f.topicARNs, arn)
		t.Cleanup(func() { _, _ = c.sns.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(arn)}) })
	}
	std, err := c.sns.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("acc-" + f.suffix + "-standard")})
	must(t, err)
	f.standardTopic = aws.ToString(std.TopicArn)
	t.Cleanup(func() { _, _ = c.sns.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(f.standardTopic)}) })
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
