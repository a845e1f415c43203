package copilotfixture

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Network is the VPC of a Copilot environment stack that made its own
// (`copilot env init --default-config`): 10.0.0.0/16, two public and two
// private subnets.
type Network struct {
	VPCID            string
	PublicSubnetIDs  []string
	PrivateSubnetIDs []string
}

// Network makes the environment's VPC and subnets.
func (e *Estate) Network() Network {
	ctx := context.Background()
	client := ec2.NewFromConfig(e.cfg)
	vpc, err := client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: e.ec2Tags(ec2types.ResourceTypeVpc)})
	must(e.t, err)
	n := Network{VPCID: aws.ToString(vpc.Vpc.VpcId)}
	e.cleanup(func() { _, _ = client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(n.VPCID)}) })
	zones, err := client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	must(e.t, err)
	for i := range 4 {
		subnet, err := client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(n.VPCID), CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i)),
			AvailabilityZone: zones.AvailabilityZones[i%2].ZoneName, TagSpecifications: e.ec2Tags(ec2types.ResourceTypeSubnet)})
		must(e.t, err)
		id := aws.ToString(subnet.Subnet.SubnetId)
		e.cleanup(func() { _, _ = client.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(id)}) })
		if i < 2 {
			n.PublicSubnetIDs = append(n.PublicSubnetIDs, id)
		} else {
			n.PrivateSubnetIDs = append(n.PrivateSubnetIDs, id)
		}
	}
	return n
}

// SecurityGroup makes the environment security group the services run in.
func (e *Estate) SecurityGroup(vpcID string) string {
	ctx := context.Background()
	client := ec2.NewFromConfig(e.cfg)
	out, err := client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(fmt.Sprintf("%s-%s-EnvironmentSecurityGroup-%s", e.App, e.Env, CloudFormationSuffix())),
		Description: aws.String("Copilot environment security group"), VpcId: aws.String(vpcID), TagSpecifications: e.ec2Tags(ec2types.ResourceTypeSecurityGroup)})
	must(e.t, err)
	id := aws.ToString(out.GroupId)
	e.cleanup(func() { _, _ = client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)}) })
	return id
}

func (e *Estate) ec2Tags(kind ec2types.ResourceType) []ec2types.TagSpecification {
	var tags []ec2types.Tag
	for k, v := range e.tags("") {
		tags = append(tags, ec2types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	return []ec2types.TagSpecification{{ResourceType: kind, Tags: tags}}
}
