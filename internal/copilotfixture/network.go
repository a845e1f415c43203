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
// private subnets, named as its template names them
// (copilot-<app>-<env>-pub<N>, public IPs on launch; -priv<N>).
type Network struct {
	VPCID            string
	PublicSubnetIDs  []string
	PrivateSubnetIDs []string
}

// Network makes the environment's VPC and subnets.
func (e *Estate) Network() Network {
	ctx := context.Background()
	client := ec2.NewFromConfig(e.cfg)
	vpc, err := client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: e.ec2Tags(ec2types.ResourceTypeVpc, "")})
	must(e.t, err)
	n := Network{VPCID: aws.ToString(vpc.Vpc.VpcId)}
	e.cleanup(func() { _, _ = client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(n.VPCID)}) })
	zones, err := client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	must(e.t, err)
	for i := range 4 {
		name := fmt.Sprintf("copilot-%s-%s-pub%d", e.App, e.Env, i%2)
		if i >= 2 {
			name = fmt.Sprintf("copilot-%s-%s-priv%d", e.App, e.Env, i%2)
		}
		subnet, err := client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(n.VPCID), CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i)),
			AvailabilityZone: zones.AvailabilityZones[i%2].ZoneName, TagSpecifications: e.ec2Tags(ec2types.ResourceTypeSubnet, name)})
		must(e.t, err)
		id := aws.ToString(subnet.Subnet.SubnetId)
		e.cleanup(func() { _, _ = client.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(id)}) })
		if i < 2 {
			_, err = client.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: aws.String(id), MapPublicIpOnLaunch: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
			must(e.t, err)
			n.PublicSubnetIDs = append(n.PublicSubnetIDs, id)
		} else {
			n.PrivateSubnetIDs = append(n.PrivateSubnetIDs, id)
		}
	}
	return n
}

// SecurityGroup makes the environment security group the services run in.
func (e *Estate) SecurityGroup(vpcID string) string {
	return e.securityGroup(vpcID, fmt.Sprintf("%s-%s-EnvironmentSecurityGroup-%s", e.App, e.Env, CloudFormationSuffix()), "Copilot environment security group", "")
}

func (e *Estate) securityGroup(vpcID, name, description, nameTag string) string {
	ctx := context.Background()
	client := ec2.NewFromConfig(e.cfg)
	out, err := client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name),
		Description: aws.String(description), VpcId: aws.String(vpcID), TagSpecifications: e.ec2Tags(ec2types.ResourceTypeSecurityGroup, nameTag)})
	must(e.t, err)
	id := aws.ToString(out.GroupId)
	e.cleanup(func() { _, _ = client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)}) })
	return id
}

// ec2Tags: Copilot's tags, and a Name tag unless name is empty.
func (e *Estate) ec2Tags(kind ec2types.ResourceType, name string) []ec2types.TagSpecification {
	var tags []ec2types.Tag
	for k, v := range e.tags("") {
		tags = append(tags, ec2types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	if name != "" {
		tags = append(tags, ec2types.Tag{Key: aws.String("Name"), Value: aws.String(name)})
	}
	return []ec2types.TagSpecification{{ResourceType: kind, Tags: tags}}
}
