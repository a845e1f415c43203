package adopt

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// Adoption is one Copilot object and the root's address that takes it over.
type Adoption struct {
	Kind, Name, Address, ImportID, FirstPlan string
}

// Adoptions lists, in a fixed order, every import the estate needs.
func (e Estate) Adoptions() []Adoption {
	out := []Adoption{{Kind: "ECS cluster", Name: e.ClusterName, Address: "module.cluster.aws_ecs_cluster.this", ImportID: e.ClusterName,
		FirstPlan: "import; update in place (settings, tags)"}}
	for _, t := range e.Topics {
		out = append(out, Adoption{Kind: "SNS topic", Name: arnResource(t.ARN), Address: fmt.Sprintf("module.messaging.aws_sns_topic.this[%q]", t.Key), ImportID: t.ARN,
			FirstPlan: "import; update in place (alias/aws/sns -> the environment's key, tags); its policy is written"})
	}
	for _, t := range e.Tables {
		out = append(out, Adoption{Kind: "DynamoDB table", Name: t.Name, Address: fmt.Sprintf("module.dynamodb[0].aws_dynamodb_table.this[%q]", t.Key), ImportID: t.Name,
			FirstPlan: "import; update in place (the environment's key, point-in-time recovery, deletion protection, TTL, stream, tags); its items stay, but TTL expires those already past"})
	}
	for _, b := range e.Buckets {
		out = append(out, Adoption{Kind: "S3 bucket", Name: b.Name, Address: b.Address, ImportID: b.Name,
			FirstPlan: "import; update in place (tags); its settings are written (encryption under the environment's key, versioning, object ownership, the whole bucket policy, logging); its objects stay"})
	}
	for _, d := range e.Distributions {
		out = append(out, d.adoption())
	}
	for _, g := range e.LogGroups {
		out = append(out, Adoption{Kind: "log group", Name: g.Name, Address: g.Address, ImportID: g.Name,
			FirstPlan: "import; update in place (retention, key, tags); Copilot's " + g.Workload + " and the root's write to it side by side until the cutover ends"})
	}
	if d := e.Database; d != nil {
		out = append(out, Adoption{Kind: "Aurora cluster", Name: d.ClusterIdentifier, Address: auroraAddress + ".aws_rds_cluster.this", ImportID: d.ClusterIdentifier,
			FirstPlan: "import; update in place (log exports, backup retention, deletion protection, the root's security group added, tags); " +
				"its data, storage encryption, engine version, backup window, parameter group, security groups, IAM authentication and master password stay; " +
				fmt.Sprintf("instances beyond these %d, up to aurora.instance_count, are created as readers of class aurora.instance_class", len(d.Instances))})
		for i, instance := range d.Instances {
			out = append(out, Adoption{Kind: "Aurora instance", Name: instance.Identifier, Address: fmt.Sprintf("%s.aws_rds_cluster_instance.this[%d]", auroraAddress, i),
				ImportID: instance.Identifier, FirstPlan: "import; update in place (parameter group, its static values at the next reboot; Performance Insights; promotion tier; tags); its class stays"})
		}
		out = append(out, Adoption{Kind: "DB subnet group", Name: d.SubnetGroupName, Address: auroraAddress + ".aws_db_subnet_group.this", ImportID: d.SubnetGroupName,
			FirstPlan: "import; update in place (tags)"})
	}
	if e.Mail != nil {
		out = append(out, e.Mail.adoptions()...)
	}
	for _, w := range e.Workers {
		plan := []string{"import; update in place: a new task definition revision rolls out, the queue policy admits the new task role (and Copilot's until the cutover ends)"}
		if w.DeadLetterQueueName == "" {
			plan = append(plan, "a dead-letter queue is created")
		}
		if len(w.ScalingPolicies) > 0 {
			plan = append(plan, "Copilot's scaling policy "+strings.Join(w.ScalingPolicies, ", ")+" is removed")
		}
		module := fmt.Sprintf("module.worker[%q]", w.Name)
		out = append(out, Adoption{Kind: "Copilot worker", Name: w.QueueName + " / " + w.ServiceName, Address: module + ".calinks_worker_pipeline.this",
			ImportID: e.ClusterName + "/" + w.ServiceName + "/" + w.QueueName, FirstPlan: strings.Join(plan, "; ")})
		if w.LogGroupName != "" {
			out = append(out, Adoption{Kind: "log group", Name: w.LogGroupName, Address: module + ".module.task.aws_cloudwatch_log_group.this", ImportID: w.LogGroupName,
				FirstPlan: "import; update in place (retention, key, tags)"})
		}
	}
	return out
}

const auroraAddress = "module.aurora[0]"

// ImportsHCL is adoption.tf: one import block per adopted object.
func (e Estate) ImportsHCL() []byte {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	body.AppendUnstructuredTokens(comment(fmt.Sprintf(
		"# Written by `make adopt ENV=%s`: the objects of Copilot's %s/%s this root takes over.\n# Run it again rather than editing this file; delete it once the first apply is done.\n", e.Env, e.App, e.Env)))
	for _, a := range e.Adoptions() {
		body.AppendNewline()
		block := body.AppendNewBlock("import", nil).Body()
		block.SetAttributeRaw("to", hclwrite.TokensForIdentifier(a.Address))
		block.SetAttributeValue("id", cty.StringVal(a.ImportID))
	}
	return hclwrite.Format(f.Bytes())
}

// TFVars is adoption.auto.tfvars: the names and ARNs the root keeps.
func (e Estate) TFVars() []byte {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	body.AppendUnstructuredTokens(comment(fmt.Sprintf(
		"# Written by `make adopt ENV=%s`: Copilot's names and ARNs this root keeps (variable adoption).\n# Set copilot_serves_traffic = false to move the web traffic here; remove\n# copilot_task_role_arn, publisher_role_arns and copilot_task_role_arns once the cutover is over.\n", e.Env)))
	workers := map[string]cty.Value{}
	for _, w := range e.Workers {
		workers[w.Name] = cty.ObjectVal(map[string]cty.Value{
			"queue_name":                 cty.StringVal(w.QueueName),
			"dead_letter_queue_name":     optionalString(w.DeadLetterQueueName),
			"service_name":               cty.StringVal(w.ServiceName),
			"queue_kms_key_arn":          optionalString(w.QueueKMSKeyARN),
			"copilot_task_role_arn":      optionalString(w.TaskRoleARN),
			"service_discovery_endpoint": optionalString(w.ServiceDiscoveryEndpoint),
			"visibility_timeout_seconds": cty.NumberIntVal(w.VisibilityTimeout),
			"message_retention_seconds":  cty.NumberIntVal(w.MessageRetention),
			"delay_seconds":              cty.NumberIntVal(w.Delay),
			"max_receive_count":          optionalCount(w.MaxReceiveCount),
		})
	}
	adoption := map[string]cty.Value{"cluster_name": cty.StringVal(e.ClusterName)}
	if len(workers) > 0 {
		adoption["workers"] = cty.ObjectVal(workers)
	}
	if lb := e.CopilotLoadBalancer; lb != nil {
		adoption["copilot_load_balancer"] = cty.ObjectVal(map[string]cty.Value{"dns_name": cty.StringVal(lb.DNSName), "zone_id": cty.StringVal(lb.ZoneID)})
		adoption["copilot_serves_traffic"] = cty.True
	}
	if len(e.Tables) > 0 {
		tables := map[string]cty.Value{}
		for _, t := range e.Tables {
			tables[t.Key] = cty.StringVal(t.Name)
		}
		adoption["dynamodb_table_names"] = cty.ObjectVal(tables)
	}
	for _, b := range e.Buckets {
		adoption[b.Variable] = cty.StringVal(b.Name)
	}
	if len(e.Tables)+len(e.Buckets) > 0 && len(e.TaskRoles) > 0 {
		adoption["copilot_task_role_arns"] = stringList(slices.Compact(slices.Sorted(maps.Values(e.TaskRoles))))
	}
	if len(e.PublisherRoles) > 0 {
		publishers := map[string]cty.Value{}
		for name, arn := range e.PublisherRoles {
			publishers[name] = cty.StringVal(arn)
		}
		adoption["publisher_role_arns"] = cty.ObjectVal(publishers)
	}
	if d := e.Database; d != nil {
		adoption["aurora"] = d.tfvars()
	}
	body.SetAttributeValue("adoption", cty.ObjectVal(adoption))
	if d := e.Database; d != nil && d.WriteVPC {
		body.AppendNewline()
		body.AppendUnstructuredTokens(comment("# Copilot's VPC, which the adopted database cannot leave: the environment runs in it.\n"))
		body.SetAttributeValue("vpc_id", cty.StringVal(d.VPCID))
		body.SetAttributeValue("imported_subnet_ids", cty.ObjectVal(map[string]cty.Value{"private": stringList(d.SubnetIDs), "public": stringList(d.PublicSubnetIDs)}))
	}
	return hclwrite.Format(f.Bytes())
}

// tfvars is adoption.aurora (modules/aurora-mysql, variable adopted_cluster).
func (d *Database) tfvars() cty.Value {
	scaling := cty.NullVal(cty.Object(map[string]cty.Type{"min_capacity": cty.Number, "max_capacity": cty.Number}))
	if d.ServerlessMinCapacity != nil && d.ServerlessMaxCapacity != nil {
		scaling = cty.ObjectVal(map[string]cty.Value{"min_capacity": cty.NumberFloatVal(*d.ServerlessMinCapacity), "max_capacity": cty.NumberFloatVal(*d.ServerlessMaxCapacity)})
	}
	instances := make([]cty.Value, len(d.Instances))
	for i, instance := range d.Instances {
		instances[i] = cty.ObjectVal(map[string]cty.Value{"identifier": cty.StringVal(instance.Identifier), "instance_class": cty.StringVal(instance.Class)})
	}
	return cty.ObjectVal(map[string]cty.Value{
		"cluster_identifier":           cty.StringVal(d.ClusterIdentifier),
		"instances":                    cty.ListVal(instances),
		"subnet_group_name":            cty.StringVal(d.SubnetGroupName),
		"subnet_group_description":     cty.StringVal(d.SubnetGroupDescription),
		"subnet_ids":                   stringList(d.SubnetIDs),
		"vpc_id":                       cty.StringVal(d.VPCID),
		"database_name":                cty.StringVal(d.DatabaseName),
		"master_username":              cty.StringVal(d.MasterUsername),
		"storage_kms_key_arn":          optionalString(d.StorageKMSKeyARN),
		"serverless_v2_scaling":        scaling,
		"preferred_backup_window":      optionalString(d.PreferredBackupWindow),
		"cluster_parameter_group_name": optionalString(d.ClusterParameterGroup),
		"security_group_ids":           stringList(d.SecurityGroupIDs),
		"keep_master_password":         cty.BoolVal(d.KeepMasterPassword),
		"master_secret_arn":            optionalString(d.MasterSecretARN),
	})
}

func stringList(items []string) cty.Value {
	if len(items) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	values := make([]cty.Value, len(items))
	for i, item := range items {
		values[i] = cty.StringVal(item)
	}
	return cty.ListVal(values)
}

func comment(text string) hclwrite.Tokens {
	return hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte(text)}}
}

// optionalCount is null for 0 (no redrive policy: the root's default).
func optionalCount(n int64) cty.Value {
	if n == 0 {
		return cty.NullVal(cty.Number)
	}
	return cty.NumberIntVal(n)
}

func optionalString(s string) cty.Value {
	if s == "" {
		return cty.NullVal(cty.String)
	}
	return cty.StringVal(s)
}

// Files are the files Write puts into an environment root.
var Files = []string{"adoption.tf", "adoption.auto.tfvars"}

// Write puts adoption.tf and adoption.auto.tfvars into root, replacing
// those of an earlier run (the output depends only on the estate).
func (e Estate) Write(root string) error {
	if err := e.checkNothingDropped(filepath.Join(root, Files[1])); err != nil {
		return err
	}
	for name, content := range map[string][]byte{Files[0]: e.ImportsHCL(), Files[1]: e.TFVars()} {
		if err := os.WriteFile(filepath.Join(root, name), content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// checkNothingDropped refuses to overwrite an adoption.auto.tfvars that
// keeps workers, tables or buckets this discovery no longer finds: after a
// partial apply they carry the root's tags, and dropping their names would
// plan replacements.
func (e Estate) checkNothingDropped(path string) error {
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	file, diags := hclparse.NewParser().ParseHCL(src, path)
	if diags.HasErrors() {
		return fmt.Errorf("%s: %s", path, diags.Error())
	}
	attrs, _ := file.Body.JustAttributes()
	expr, ok := attrs["adoption"]
	if !ok {
		return nil
	}
	v, diags := expr.Expr.Value(nil)
	if diags.HasErrors() || !v.Type().IsObjectType() {
		return nil
	}
	kept := e.keptNames()
	var dropped []string
	for _, group := range []string{"workers", "dynamodb_table_names"} {
		if v.Type().HasAttribute(group) && !v.GetAttr(group).IsNull() {
			for name := range v.GetAttr(group).AsValueMap() {
				if !kept[group+"."+name] {
					dropped = append(dropped, group+"."+name)
				}
			}
		}
	}
	for _, b := range copilotBuckets {
		if v.Type().HasAttribute(b.variable) && !v.GetAttr(b.variable).IsNull() && !kept[b.variable] {
			dropped = append(dropped, b.variable)
		}
	}
	if v.Type().HasAttribute("aurora") && !v.GetAttr("aurora").IsNull() && !kept["aurora"] {
		dropped = append(dropped, "aurora")
	}
	if _, set := attrs["vpc_id"]; set && !kept["vpc_id"] {
		dropped = append(dropped, "vpc_id")
	}
	if len(dropped) > 0 {
		sort.Strings(dropped)
		return fmt.Errorf("%s keeps %s, which Copilot's tags no longer show: not overwritten. After an apply, keep the file as it is (the root's state needs these names; "+
			"without them the next plan replaces what they name); before any apply, move it away to start over",
			path, strings.Join(dropped, ", "))
	}
	return nil
}

// keptNames are the entries of adoption.auto.tfvars this estate writes.
func (e Estate) keptNames() map[string]bool {
	out := map[string]bool{}
	for _, w := range e.Workers {
		out["workers."+w.Name] = true
	}
	for _, t := range e.Tables {
		out["dynamodb_table_names."+t.Key] = true
	}
	for _, b := range e.Buckets {
		out[b.Variable] = true
	}
	out["aurora"] = e.Database != nil
	out["vpc_id"] = e.Database != nil && e.Database.WriteVPC
	return out
}

// Table is the report: each Copilot object, its name, the Terraform address
// and what the first plan does; then what is not adopted, and why.
func (e Estate) Table() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	_, _ = fmt.Fprintln(tw, "COPILOT OBJECT\tNAME\tTERRAFORM ADDRESS\tFIRST PLAN")
	for _, a := range e.Adoptions() {
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Kind, a.Name, a.Address, a.FirstPlan)
	}
	for _, name := range slices.Sorted(maps.Keys(e.PublisherRoles)) {
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", "publisher task role", e.PublisherRoles[name], "module.messaging (adoption.publisher_role_arns)",
			"kept: "+name+" may publish to its topics until the cutover ends")
	}
	if lb := e.CopilotLoadBalancer; lb != nil {
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", "load balancer", lb.DNSName, "module.edge.aws_route53_record.hostname",
			"kept serving: the hostnames' records point at it until adoption.copilot_serves_traffic = false")
	}
	for _, s := range e.Skipped {
		_, _ = fmt.Fprintf(tw, "%s\t%s\t(not adopted)\t%s\n", s.Kind, s.Name, s.Reason)
	}
	_ = tw.Flush()
	fmt.Fprintf(&b, "Copilot's stacks: %d (%s)\n", len(e.Stacks), strings.Join(e.Stacks, ", "))
	if len(e.NotRetained) > 0 {
		fmt.Fprintf(&b, "NOT RETAINED: deleting or updating these stacks deletes %d adopted object(s); add the attributes before step 7 (docs/migrating-from-copilot.md, step 2):\n", len(e.NotRetained))
		for _, r := range e.NotRetained {
			fmt.Fprintf(&b, "  %s/%s (%s %s): %s\n", r.Stack, r.LogicalID, r.Type, r.PhysicalID, strings.Join(r.Missing, ", "))
		}
	}
	return b.String()
}
