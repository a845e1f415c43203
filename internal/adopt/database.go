package adopt

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// Database is Copilot's Aurora cluster (`copilot storage init -t Aurora`)
// as adopted by modules/aurora-mysql (variable adopted_cluster): what would
// replace it if changed, and what Copilot's services depend on until the
// cutover ends.
type Database struct {
	ClusterIdentifier string
	// InstanceIdentifiers: the writer first, then the readers by name.
	InstanceIdentifiers                     []string
	SubnetGroupName, SubnetGroupDescription string
	VPCID                                   string
	PrivateSubnetIDs                        []string // the subnet group's
	// PublicSubnetIDs are Copilot's public subnets of the VPC (Name
	// copilot-<app>-<env>-pub<N>); empty where Copilot imported the VPC.
	PublicSubnetIDs                              []string
	DatabaseName, MasterUsername, EngineVersion  string
	StorageKMSKeyARN                             string // empty: unencrypted
	InstanceClass                                string // the writer's
	ServerlessMinCapacity, ServerlessMaxCapacity *float64
	ClusterParameterGroup                        string
	SecurityGroupIDs                             []string
	KeepMasterPassword                           bool // the password is in Copilot's own secret, not managed by RDS
	WriteVPC                                     bool // adoption.auto.tfvars sets vpc_id and imported_subnet_ids
	clusterARN                                   string
}

// copilotPublicSubnet is the Name Copilot's environment template gives a
// public subnet of a VPC it makes.
func copilotPublicSubnet(app, env string) *regexp.Regexp {
	return regexp.MustCompile("^copilot-" + regexp.QuoteMeta(app+"-"+env) + `-pub\d+$`)
}

// addDatabase adopts the one Aurora MySQL cluster among the tagged
// clusters, or lists why not: the root has one database, MySQL, only with
// the add-ons, and in Copilot's VPC (a cluster cannot move).
func (e *Estate) addDatabase(ctx context.Context, c Clients, clusterIDs []string, root Root) error {
	if len(clusterIDs) == 0 {
		return nil
	}
	skipAll := func(reason string) {
		for _, id := range clusterIDs {
			e.Skipped = append(e.Skipped, Skipped{"Aurora cluster", id, reason})
		}
	}
	switch {
	case !root.Addons:
		skipAll("the root has no add-ons (addons_enabled = false) and manages no database: keep it under Copilot and point existing_endpoints at it")
		return nil
	case len(clusterIDs) > 1:
		skipAll(fmt.Sprintf("%d clusters: the root has one database; import the one it takes over by hand (adoption.aurora)", len(clusterIDs)))
		return nil
	}
	out, err := c.RDS.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(clusterIDs[0])})
	if err != nil {
		return fmt.Errorf("describing Aurora cluster %s: %w", clusterIDs[0], err)
	}
	if len(out.DBClusters) != 1 {
		return fmt.Errorf("no Aurora cluster %s", clusterIDs[0])
	}
	cluster := out.DBClusters[0]
	if engine := aws.ToString(cluster.Engine); engine != "aurora-mysql" {
		skipAll("engine " + engine + ": the root's database is Aurora MySQL, and an engine cannot change in place")
		return nil
	}
	d := Database{ClusterIdentifier: aws.ToString(cluster.DBClusterIdentifier), clusterARN: aws.ToString(cluster.DBClusterArn),
		SubnetGroupName: aws.ToString(cluster.DBSubnetGroup), DatabaseName: aws.ToString(cluster.DatabaseName),
		MasterUsername: aws.ToString(cluster.MasterUsername), EngineVersion: aws.ToString(cluster.EngineVersion),
		ClusterParameterGroup: aws.ToString(cluster.DBClusterParameterGroup), KeepMasterPassword: cluster.MasterUserSecret == nil}
	if aws.ToBool(cluster.StorageEncrypted) {
		d.StorageKMSKeyARN = aws.ToString(cluster.KmsKeyId)
	}
	if s := cluster.ServerlessV2ScalingConfiguration; s != nil {
		d.ServerlessMinCapacity, d.ServerlessMaxCapacity = s.MinCapacity, s.MaxCapacity
	}
	for _, sg := range cluster.VpcSecurityGroups {
		d.SecurityGroupIDs = append(d.SecurityGroupIDs, aws.ToString(sg.VpcSecurityGroupId))
	}
	slices.Sort(d.SecurityGroupIDs)
	if err := d.readInstances(ctx, c.RDS, cluster.DBClusterMembers); err != nil {
		return err
	}
	groups, err := c.RDS.DescribeDBSubnetGroups(ctx, &rds.DescribeDBSubnetGroupsInput{DBSubnetGroupName: aws.String(d.SubnetGroupName)})
	if err != nil || len(groups.DBSubnetGroups) != 1 {
		return fmt.Errorf("describing subnet group %s of %s: %v", d.SubnetGroupName, d.ClusterIdentifier, err)
	}
	group := groups.DBSubnetGroups[0]
	d.SubnetGroupDescription, d.VPCID = aws.ToString(group.DBSubnetGroupDescription), aws.ToString(group.VpcId)
	for _, s := range group.Subnets {
		d.PrivateSubnetIDs = append(d.PrivateSubnetIDs, aws.ToString(s.SubnetIdentifier))
	}
	slices.Sort(d.PrivateSubnetIDs)

	switch {
	case root.VPCID != "" && root.VPCID != d.VPCID:
		skipAll(fmt.Sprintf("in %s, but the root imports %s (vpc_id): a cluster cannot move to another VPC", d.VPCID, root.VPCID))
		return nil
	case root.VPCID == "":
		if err := d.findPublicSubnets(ctx, c.EC2, e.App, e.Env); err != nil {
			return err
		}
		if len(d.PublicSubnetIDs) == 0 {
			e.Skipped = append(e.Skipped, Skipped{"VPC", d.VPCID, fmt.Sprintf("the adopted database's VPC, without subnets named copilot-%s-%s-pub<N>: set vpc_id and imported_subnet_ids in terraform.tfvars", e.App, e.Env)})
		}
		d.WriteVPC = len(d.PublicSubnetIDs) > 0
	}
	e.Database = &d
	return nil
}

func (d *Database) readInstances(ctx context.Context, client *rds.Client, members []rdstypes.DBClusterMember) error {
	var readers []string
	for _, m := range members {
		id := aws.ToString(m.DBInstanceIdentifier)
		if !aws.ToBool(m.IsClusterWriter) {
			readers = append(readers, id)
			continue
		}
		d.InstanceIdentifiers = append(d.InstanceIdentifiers, id)
		out, err := client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(id)})
		if err != nil || len(out.DBInstances) != 1 {
			return fmt.Errorf("describing the writer %s of %s: %v", id, d.ClusterIdentifier, err)
		}
		d.InstanceClass = aws.ToString(out.DBInstances[0].DBInstanceClass)
	}
	if len(d.InstanceIdentifiers) != 1 {
		return fmt.Errorf("Aurora cluster %s has %d writers, want one", d.ClusterIdentifier, len(d.InstanceIdentifiers))
	}
	slices.Sort(readers)
	d.InstanceIdentifiers = append(d.InstanceIdentifiers, readers...)
	return nil
}

// findPublicSubnets: Copilot's public subnets of the cluster's VPC, by the
// Name its environment template gives them.
func (d *Database) findPublicSubnets(ctx context.Context, client *ec2.Client, app, env string) error {
	out, err := client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{d.VPCID}}}})
	if err != nil {
		return fmt.Errorf("listing the subnets of %s: %w", d.VPCID, err)
	}
	public := copilotPublicSubnet(app, env)
	for _, s := range out.Subnets {
		for _, t := range s.Tags {
			if aws.ToString(t.Key) == "Name" && public.MatchString(aws.ToString(t.Value)) {
				d.PublicSubnetIDs = append(d.PublicSubnetIDs, aws.ToString(s.SubnetId))
			}
		}
	}
	slices.Sort(d.PublicSubnetIDs)
	return nil
}

// covers: the tagged RDS object is the adopted cluster or one of its
// instances (imported with it).
func (d *Database) covers(arn string) bool {
	if d == nil {
		return false
	}
	resource := arnResource(arn)
	id, isInstance := strings.CutPrefix(resource, "db:")
	return arn == d.clusterARN || (isInstance && slices.Contains(d.InstanceIdentifiers, id))
}
