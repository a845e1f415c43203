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
	// Instances by identifier: a failover, which swaps writer and reader,
	// must not change their addresses.
	Instances                               []Instance
	SubnetGroupName, SubnetGroupDescription string
	VPCID                                   string
	SubnetIDs                               []string // the subnet group's, private
	// PublicSubnetIDs are Copilot's public subnets of the VPC (Name
	// copilot-<app>-<env>-pub<N>); empty where Copilot imported the VPC.
	PublicSubnetIDs                              []string
	DatabaseName, MasterUsername                 string
	StorageKMSKeyARN                             string // empty: unencrypted
	ServerlessMinCapacity, ServerlessMaxCapacity *float64
	PreferredBackupWindow                        string
	ClusterParameterGroup                        string
	SecurityGroupIDs                             []string
	KeepMasterPassword                           bool   // the password is in Copilot's own secret, not managed by RDS
	MasterSecretARN                              string // Copilot's secret holding it; empty: not found
	WriteVPC                                     bool   // adoption.auto.tfvars sets vpc_id and imported_subnet_ids
	clusterARN                                   string
}

// Instance is one instance of the adopted cluster.
type Instance struct{ Identifier, Class string }

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
	if reason := databaseRefusal(cluster); reason != "" {
		skipAll(reason)
		return nil
	}
	d := Database{ClusterIdentifier: aws.ToString(cluster.DBClusterIdentifier), clusterARN: aws.ToString(cluster.DBClusterArn),
		SubnetGroupName: aws.ToString(cluster.DBSubnetGroup), DatabaseName: aws.ToString(cluster.DatabaseName),
		MasterUsername: aws.ToString(cluster.MasterUsername), PreferredBackupWindow: aws.ToString(cluster.PreferredBackupWindow),
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
	if err != nil {
		return fmt.Errorf("describing subnet group %s of %s: %w", d.SubnetGroupName, d.ClusterIdentifier, err)
	}
	if len(groups.DBSubnetGroups) != 1 {
		return fmt.Errorf("no subnet group %s of %s", d.SubnetGroupName, d.ClusterIdentifier)
	}
	group := groups.DBSubnetGroups[0]
	d.SubnetGroupDescription, d.VPCID = aws.ToString(group.DBSubnetGroupDescription), aws.ToString(group.VpcId)
	for _, s := range group.Subnets {
		d.SubnetIDs = append(d.SubnetIDs, aws.ToString(s.SubnetIdentifier))
	}
	slices.Sort(d.SubnetIDs)

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
	// Only for a cluster adopted: the root then runs in its subnets.
	if err := e.checkEgress(ctx, c.EC2, d); err != nil {
		return err
	}
	e.Database = &d
	return nil
}

// databaseRefusal is why a cluster cannot be adopted into the root's
// Aurora MySQL 8.0 provisioned cluster in place ("": it can): the engine
// and the engine mode replace a cluster when changed, and the root's
// parameter groups are of the family aurora-mysql8.0.
func databaseRefusal(cluster rdstypes.DBCluster) string {
	switch engine, mode, version := aws.ToString(cluster.Engine), aws.ToString(cluster.EngineMode), aws.ToString(cluster.EngineVersion); {
	case engine != "aurora-mysql":
		return "engine " + engine + ": the root's database is Aurora MySQL, and an engine cannot change in place"
	case mode != "" && mode != "provisioned":
		return "engine mode " + mode + ": the root's cluster is provisioned (Serverless v2 included), and the mode cannot change in place"
	case !strings.HasPrefix(version, "8.0."):
		return "engine version " + version + ": the root's parameter groups are for Aurora MySQL 3 (8.0); upgrade the cluster first"
	}
	return ""
}

func (d *Database) readInstances(ctx context.Context, client *rds.Client, members []rdstypes.DBClusterMember) error {
	for _, m := range members {
		id := aws.ToString(m.DBInstanceIdentifier)
		out, err := client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(id)})
		if err != nil {
			return fmt.Errorf("describing instance %s of %s: %w", id, d.ClusterIdentifier, err)
		}
		if len(out.DBInstances) != 1 {
			return fmt.Errorf("no instance %s of %s", id, d.ClusterIdentifier)
		}
		d.Instances = append(d.Instances, Instance{Identifier: id, Class: aws.ToString(out.DBInstances[0].DBInstanceClass)})
	}
	if len(d.Instances) == 0 {
		return fmt.Errorf("the Aurora cluster %s has no instance", d.ClusterIdentifier)
	}
	slices.SortFunc(d.Instances, func(a, b Instance) int { return strings.Compare(a.Identifier, b.Identifier) })
	return nil
}

// checkEgress lists the subnet group's subnets that have no default route
// through a NAT gateway: the root's tasks run without public IPs in those
// subnets, and RDS Proxy reaches Secrets Manager from them, so without NAT
// (or interface endpoints) neither starts. Copilot makes NAT gateways only
// for workloads placed in private subnets.
func (e *Estate) checkEgress(ctx context.Context, client *ec2.Client, d Database) error {
	out, err := client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{d.VPCID}}}})
	if err != nil {
		return fmt.Errorf("reading the route tables of %s: %w", d.VPCID, err)
	}
	viaNAT := map[string]bool{} // subnet (or "main") -> default route through NAT
	for _, rt := range out.RouteTables {
		nat := slices.ContainsFunc(rt.Routes, func(r ec2types.Route) bool {
			return aws.ToString(r.DestinationCidrBlock) == "0.0.0.0/0" && r.NatGatewayId != nil
		})
		for _, a := range rt.Associations {
			switch {
			case aws.ToBool(a.Main):
				viaNAT["main"] = nat
			case a.SubnetId != nil:
				viaNAT[aws.ToString(a.SubnetId)] = nat
			}
		}
	}
	var without []string
	for _, subnet := range d.SubnetIDs {
		nat, associated := viaNAT[subnet]
		if !associated {
			nat = viaNAT["main"]
		}
		if !nat {
			without = append(without, subnet)
		}
	}
	if len(without) > 0 {
		e.Skipped = append(e.Skipped, Skipped{"VPC egress", strings.Join(without, ", "),
			"no default route through a NAT gateway: the root's tasks (no public IPs) and RDS Proxy cannot reach ECR, CloudWatch or Secrets Manager from these subnets; add NAT or interface endpoints before the apply"})
	}
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
	group, isGroup := strings.CutPrefix(resource, "subgrp:")
	parameters, isParameters := strings.CutPrefix(resource, "cluster-pg:")
	return arn == d.clusterARN || (isInstance && slices.ContainsFunc(d.Instances, func(i Instance) bool { return i.Identifier == id })) ||
		(isGroup && group == d.SubnetGroupName) || (isParameters && parameters == d.ClusterParameterGroup)
}

// keptIdentifiers are the physical IDs of what the adopted cluster needs
// from Copilot's stacks: the cluster, its instances and subnet group, the
// security groups and parameter group Copilot's services still depend on,
// the master secret, and, where the root moves into it, the VPC and its
// subnets.
func (d *Database) keptIdentifiers() []string {
	ids := []string{d.ClusterIdentifier, d.SubnetGroupName, d.ClusterParameterGroup, d.MasterSecretARN}
	for _, i := range d.Instances {
		ids = append(ids, i.Identifier)
	}
	ids = append(ids, d.SecurityGroupIDs...)
	if d.WriteVPC {
		ids = append(append(append(ids, d.VPCID), d.SubnetIDs...), d.PublicSubnetIDs...)
	}
	return ids
}

// addAuroraSecrets: Copilot's Aurora master secrets, `<cluster>AuroraSecret-<random>`
// (the add-on's logical IDs), kept with the adopted cluster whose
// identifier holds `<cluster>dbcluster-`; none is imported.
func (e *Estate) addAuroraSecrets(arns []string) {
	for _, arn := range arns {
		name := strings.TrimPrefix(arnResource(arn), "secret:")
		prefix, _, _ := strings.Cut(name, "AuroraSecret-")
		cluster := strings.ToLower(prefix)
		d := e.Database
		if d != nil && d.KeepMasterPassword && d.MasterSecretARN == "" && strings.Contains(d.ClusterIdentifier, "-"+cluster+"dbcluster-") {
			d.MasterSecretARN = arn
			e.Skipped = append(e.Skipped, Skipped{"secret", name, "the adopted cluster's master credentials, which Copilot's services read: kept until the cutover ends " +
				"(adoption.aurora.master_secret_arn); retain it (docs/migrating-from-copilot.md, step 2)"})
			continue
		}
		e.Skipped = append(e.Skipped, Skipped{"secret", name, "the master credentials of an Aurora add-on that is not adopted: keep it with its cluster"})
	}
}
