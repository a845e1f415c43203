package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func requiresReplaceBool() []planmodifier.Bool {
	return []planmodifier.Bool{boolplanmodifier.RequiresReplace()}
}

func keepState() []planmodifier.String {
	return []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
}

func int64Attr(desc string, def int64, min, max int64) schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: fmt.Sprintf("%s Default `%d`, from %d to %d.", desc, def, min, max),
		Optional:            true,
		Computed:            true,
		Default:             int64default.StaticInt64(def),
		Validators:          []validator.Int64{int64validator.Between(min, max)},
	}
}

func arnSetAttr(desc, service, prefix string) schema.SetAttribute {
	return schema.SetAttribute{
		MarkdownDescription: desc,
		ElementType:         types.StringType,
		Optional:            true,
		Validators:          []validator.Set{setvalidator.ValueStringsAre(arnValidator{service: service, resourcePrefix: prefix})},
	}
}

func (r *workerPipelineResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	nameValidators := []validator.String{
		stringvalidator.LengthBetween(2, 40),
		stringvalidator.RegexMatches(copilotNameRegexp, "must be lower-case letters, digits and '-', starting with a letter"),
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Copilot's *Worker Service* as one resource: an SQS queue (FIFO by default) with a dead-letter " +
			"queue and a resource policy, SNS subscriptions of the queue to topics, and an ECS Fargate service that consumes " +
			"it, with the environment variables Copilot injected and optional backlog-per-task autoscaling.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<cluster name>/<service name>/<queue name>`; the import ID has the same form.",
				Computed:            true,
				PlanModifiers:       keepState(),
			},
			"app": schema.StringAttribute{
				MarkdownDescription: "Application name (`COPILOT_APPLICATION_NAME`), for example `calinks`.",
				Required:            true,
				Validators:          nameValidators,
			},
			"environment": schema.StringAttribute{
				MarkdownDescription: "Environment name (`COPILOT_ENVIRONMENT_NAME`), for example `staging`.",
				Required:            true,
				Validators:          nameValidators,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Worker name (`COPILOT_SERVICE_NAME`), for example `worker-item`; also the container name.",
				Required:            true,
				Validators:          nameValidators,
			},

			"queue_name": schema.StringAttribute{
				MarkdownDescription: "Name of the worker queue. Default `<app>-<environment>-<name>` plus `.fifo` for FIFO. " +
					"Set it to adopt an existing queue. Changing it replaces the pipeline.",
				Optional: true,
				Computed: true,
			},
			"fifo": schema.BoolAttribute{
				MarkdownDescription: "Whether the queue and its dead-letter queue are FIFO. Default `true`. Changing it replaces the pipeline.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
				PlanModifiers:       requiresReplaceBool(),
			},
			"kms_master_key_id": schema.StringAttribute{
				MarkdownDescription: "KMS key (ID, alias or ARN) for server-side encryption of both queues. Unset: SQS-managed encryption (SSE-SQS), always on.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 2048)},
			},
			"visibility_timeout_seconds": int64Attr("Visibility timeout of the worker queue, in seconds.", 30, 0, 43200),
			"message_retention_seconds":  int64Attr("Retention of the worker queue, in seconds.", 345600, 60, fourteenDays),
			"receive_wait_time_seconds":  int64Attr("Long-polling wait of ReceiveMessage, in seconds.", 20, 0, 20),
			"delay_seconds":              int64Attr("Delivery delay of the worker queue, in seconds.", 0, 0, 900),
			"content_based_deduplication": schema.BoolAttribute{
				MarkdownDescription: "FIFO only: deduplicate by a SHA-256 of the body when a message has no deduplication ID. Default `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"deduplication_scope": schema.StringAttribute{
				MarkdownDescription: "FIFO only: `queue` (default) or `messageGroup`.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(dedupScopeQueue),
				Validators:          []validator.String{stringvalidator.OneOf(dedupScopeQueue, dedupScopeMessageGroup)},
			},
			"fifo_throughput_limit": schema.StringAttribute{
				MarkdownDescription: "FIFO only: `perQueue` (default) or `perMessageGroupId` (high throughput; needs `deduplication_scope = \"messageGroup\"`).",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(throughputPerQueue),
				Validators:          []validator.String{stringvalidator.OneOf(throughputPerQueue, throughputPerGroup)},
			},
			"max_receive_count":                   int64Attr("Receives of one message before it moves to the dead-letter queue.", 5, 1, 1000),
			"dead_letter_queue_retention_seconds": int64Attr("Retention of the dead-letter queue, in seconds.", fourteenDays, 60, fourteenDays),
			"dead_letter_queue_redrive_allow_policy": schema.BoolAttribute{
				MarkdownDescription: "Set a redrive-allow policy on the dead-letter queue admitting only the worker queue. Default `true`; switching it off removes the policy; " +
					"switch off for endpoints that do not know the `RedriveAllowPolicy` attribute.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"eventbridge_rule_arns": arnSetAttr("EventBridge rules allowed to send to the queue (service principal `events.amazonaws.com`, limited by `aws:SourceArn`).", "events", "rule/"),
			"sender_role_arns":      arnSetAttr("IAM roles allowed to send to the queue, for example the execution role of EventBridge Scheduler schedules.", "iam", "role/"),
			"additional_consumer_role_arns": arnSetAttr("IAM roles allowed to receive and delete messages besides `task_role_arn`, for example the task role of the "+
				"Copilot worker being adopted, so that its tasks keep draining the queue until the new deployment has replaced them (and a rollback to them still works). "+
				"Remove them once the cutover is over.", "iam", "role/"),
			"subscriptions": schema.MapNestedAttribute{
				MarkdownDescription: "SNS subscriptions of the queue, keyed by a name of your choice (import uses the topic name). " +
					"A FIFO queue subscribes only to FIFO topics; a standard queue subscribes to standard and FIFO topics.",
				Optional: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"topic_arn": schema.StringAttribute{
							MarkdownDescription: "ARN of the SNS topic. Changing it replaces the subscription only.",
							Required:            true,
							Validators:          []validator.String{arnValidator{service: "sns"}},
						},
						"filter_policy": schema.StringAttribute{
							MarkdownDescription: "SNS filter policy, a JSON object.",
							Optional:            true,
							Validators:          []validator.String{jsonObjectValidator{}, stringvalidator.LengthAtMost(256 * 1024)},
						},
						"filter_policy_scope": schema.StringAttribute{
							MarkdownDescription: "`MessageAttributes` (default) or `MessageBody`.",
							Optional:            true,
							Computed:            true,
							Default:             stringdefault.StaticString("MessageAttributes"),
							Validators:          []validator.String{stringvalidator.OneOf("MessageAttributes", "MessageBody")},
						},
						"raw_message_delivery": schema.BoolAttribute{
							MarkdownDescription: "Deliver the bare message instead of the SNS JSON envelope. Default `false`, as Copilot: the workers parse the envelope.",
							Optional:            true,
							Computed:            true,
							Default:             booldefault.StaticBool(false),
						},
					},
				},
				Validators: []validator.Map{mapvalidator.KeysAre(stringvalidator.RegexMatches(regexp.MustCompile(`^[A-Za-z0-9_.-]{1,256}$`), "must be 1 to 256 letters, digits, '.', '-' or '_'"))},
			},

			"cluster": schema.StringAttribute{
				MarkdownDescription: "Name or ARN of the ECS cluster. Changing it replaces the pipeline; the name and the ARN of one cluster are the same cluster (an import ID names it, a configuration may give its ARN).",
				Required:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(clusterNameOrARNRe, "must be an ECS cluster name or ARN")},
			},
			"service_name": schema.StringAttribute{
				MarkdownDescription: "Name of the ECS service. Default `name`. Set it to adopt an existing service. Changing it replaces the pipeline.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(ecsNameRegexp, "must be 1 to 255 letters, digits, '-' or '_'")},
			},
			"task_role_arn": schema.StringAttribute{
				MarkdownDescription: "Task role of the worker; the queue policy lets it receive, delete and change the visibility of messages.",
				Required:            true,
				Validators:          []validator.String{arnValidator{service: "iam", resourcePrefix: "role/"}},
			},
			"execution_role_arn": schema.StringAttribute{
				MarkdownDescription: "Task execution role (image pull, logs, secrets). Needed with `secrets`, `log_group_name` or a private image.",
				Optional:            true,
				Validators:          []validator.String{arnValidator{service: "iam", resourcePrefix: "role/"}},
			},
			"container": containerSchema(),
			"task_definition_ownership": schema.StringAttribute{
				MarkdownDescription: "Who owns the task definition: `terraform` (default; built from `container`) or `external` " +
					"(a CI pipeline deploys revisions; `task_definition_arn` is used at creation only, and later deploys are neither reverted nor shown as a diff). " +
					"With `terraform`, the family `<app>-<environment>-<name>` is the provider's: revisions other than the one in use are deregistered. " +
					"Switching to `external` deploys `task_definition_arn` once and deregisters the owned revision.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(ownershipTerraform),
				Validators: []validator.String{stringvalidator.OneOf(ownershipTerraform, ownershipExternal)},
			},
			"task_definition_arn": schema.StringAttribute{
				MarkdownDescription: "With ownership `external`: the task definition the service starts with (required). " +
					"With ownership `terraform`: computed, the revision registered from `container`.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{arnValidator{service: "ecs", resourcePrefix: "task-definition/"}},
			},
			"subnet_ids": schema.SetAttribute{
				MarkdownDescription: "Subnets of the tasks (private subnets).",
				ElementType:         types.StringType,
				Required:            true,
				Validators: []validator.Set{setvalidator.SizeBetween(1, 16), setvalidator.ValueStringsAre(
					stringvalidator.RegexMatches(regexp.MustCompile(`^subnet-[0-9a-f]{8,17}$`), "must be a subnet ID (subnet-...)"))},
			},
			"security_group_ids": schema.SetAttribute{
				MarkdownDescription: "Security groups of the tasks. Unset: the VPC's default group.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators: []validator.Set{setvalidator.SizeAtMost(5), setvalidator.ValueStringsAre(
					stringvalidator.RegexMatches(regexp.MustCompile(`^sg-[0-9a-f]{8,17}$`), "must be a security group ID (sg-...)"))},
			},
			"assign_public_ip": schema.BoolAttribute{
				MarkdownDescription: "Give tasks a public IP. Default `false`: workers egress through NAT.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"capacity_provider_strategy": schema.ListNestedAttribute{
				MarkdownDescription: "Capacity providers (`FARGATE`, `FARGATE_SPOT`). Unset: launch type `FARGATE`.",
				Optional:            true,
				Validators:          []validator.List{listvalidator.SizeBetween(1, 2)},
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"capacity_provider": schema.StringAttribute{
							MarkdownDescription: "`FARGATE` or `FARGATE_SPOT`.",
							Required:            true,
							Validators:          []validator.String{stringvalidator.OneOf("FARGATE", "FARGATE_SPOT")},
						},
						"weight": int64Attr("Relative share of tasks.", 1, 0, 1000),
						"base":   int64Attr("Tasks placed here first.", 0, 0, 100000),
					},
				},
			},
			"platform_version": schema.StringAttribute{
				MarkdownDescription: "Fargate platform version. Default `LATEST`.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString("LATEST"),
			},
			"enable_execute_command": schema.BoolAttribute{
				MarkdownDescription: "Allow `aws ecs execute-command` into the tasks. Default `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"desired_count": schema.Int64Attribute{
				MarkdownDescription: "Tasks to run. Default `1`. With `autoscaling`, only the initial count: the autoscaler owns it afterwards and its changes show no diff.",
				Optional:            true,
				Computed:            true,
				Default:             int64default.StaticInt64(1),
				Validators:          []validator.Int64{int64validator.Between(0, 1000)},
			},
			"wait_for_steady_state": schema.BoolAttribute{
				MarkdownDescription: "Wait for the service to reach a steady state after create and update. Default `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"autoscaling": autoscalingSchema(),
			"topic_queue_uris": schema.MapAttribute{
				MarkdownDescription: "Per-topic queue URLs to inject as JSON in `COPILOT_TOPIC_QUEUE_URIS`, for workers written against Copilot's topic-specific queues. " +
					"Use Copilot's keys, `<svc><Topic>EventsQueue`: `<svc>` the publisher's name with everything but letters and digits removed; `<Topic>` the topic's name " +
					"(plus `.fifo` for a FIFO queue) with everything but letters and digits removed, then first letter upper case and the rest lower case. " +
					"For example `poswebappEcorderfifoEventsQueue` for the FIFO queue of topic `ec-order` of `pos-web-app`.",
				ElementType: types.StringType,
				Optional:    true,
			},
			"tags": schema.MapAttribute{
				MarkdownDescription: "Tags of the queues, task definition and service.",
				ElementType:         types.StringType,
				Optional:            true,
			},
			"tags_all": schema.MapAttribute{
				MarkdownDescription: "`tags` merged over the provider's `default_tags`.",
				ElementType:         types.StringType,
				Computed:            true,
			},

			"queue_url":    computedString("URL of the worker queue (`COPILOT_QUEUE_URI`)."),
			"queue_arn":    computedString("ARN of the worker queue."),
			"queue_policy": schema.StringAttribute{MarkdownDescription: "Resource policy of the worker queue, as built from the inputs.", Computed: true},
			"dead_letter_queue_name": schema.StringAttribute{
				MarkdownDescription: "Name of the dead-letter queue. Unset: the one in use (an adopted worker's keeps its name), else the queue name with `-dlq` before any `.fifo` (also when an adopted worker had none: it is created in place). " +
					"Set it to adopt an existing queue. Changing it replaces the pipeline.",
				Optional: true,
				Computed: true,
			},
			"dead_letter_queue_url": computedString("URL of the dead-letter queue."),
			"dead_letter_queue_arn": computedString("ARN of the dead-letter queue."),
			"subscription_arns": schema.MapAttribute{
				MarkdownDescription: "Subscription ARNs, by the keys of `subscriptions`.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"service_arn": computedString("ARN of the ECS service."),
			"environment_variables": schema.MapAttribute{
				MarkdownDescription: "The Copilot variables injected into the worker container (`COPILOT_QUEUE_URI`, ...). Hand them to CI when it owns the task definition.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: desc, Computed: true, PlanModifiers: keepState()}
}

func containerSchema() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The worker container, with task definition ownership `terraform`.",
		Optional:            true,
		Attributes: map[string]schema.Attribute{
			"image": schema.StringAttribute{
				MarkdownDescription: "Container image.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 255)},
			},
			"cpu": schema.Int64Attribute{
				MarkdownDescription: "Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. Default `256`.",
				Optional:            true,
				Computed:            true,
				Default:             int64default.StaticInt64(256),
				Validators:          []validator.Int64{int64validator.OneOf(256, 512, 1024, 2048, 4096, 8192, 16384)},
			},
			"memory": schema.Int64Attribute{
				MarkdownDescription: "Task memory in MiB, a size Fargate allows for `cpu`. Default `512`.",
				Optional:            true,
				Computed:            true,
				Default:             int64default.StaticInt64(512),
				Validators:          []validator.Int64{int64validator.Between(512, 122880)},
			},
			"command": schema.ListAttribute{
				MarkdownDescription: "Command overriding the image's.",
				ElementType:         types.StringType,
				Optional:            true,
			},
			"environment": schema.MapAttribute{
				MarkdownDescription: "Environment variables. The `COPILOT_*` variables are injected and may not be set here.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Map{mapvalidator.KeysAre(stringvalidator.RegexMatches(envVarNameRegexp, "must be a valid environment variable name"))},
			},
			"secrets": schema.MapAttribute{
				MarkdownDescription: "Environment variables from Secrets Manager or SSM Parameter Store: name to ARN.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.RegexMatches(envVarNameRegexp, "must be a valid environment variable name")),
					mapvalidator.ValueStringsAre(stringvalidator.RegexMatches(regexp.MustCompile(`^arn:[a-z-]+:(secretsmanager|ssm):`), "must be a Secrets Manager or SSM parameter ARN")),
				},
			},
			"log_group_name": schema.StringAttribute{
				MarkdownDescription: "CloudWatch Logs group for the `awslogs` driver (stream prefix `copilot`, as Copilot). Unset: no log configuration.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 512)},
			},
			"readonly_root_filesystem": schema.BoolAttribute{
				MarkdownDescription: "Mount the root filesystem read-only. Default `false`, as the workers ran under Copilot.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"health_check": schema.SingleNestedAttribute{
				MarkdownDescription: "Container health check.",
				Optional:            true,
				Attributes: map[string]schema.Attribute{
					"command": schema.ListAttribute{
						MarkdownDescription: "Command, for example `[\"CMD-SHELL\", \"test -f /tmp/healthy\"]`.",
						ElementType:         types.StringType,
						Required:            true,
						Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
					},
					"interval":     int64Attr("Seconds between checks.", 30, 5, 300),
					"timeout":      int64Attr("Seconds before a check fails.", 5, 2, 60),
					"retries":      int64Attr("Failures before unhealthy.", 3, 1, 10),
					"start_period": int64Attr("Grace period in seconds.", 0, 0, 300),
				},
			},
		},
	}
}

func autoscalingSchema() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "Backlog-per-task autoscaling: target tracking on metric math (visible messages / running tasks) " +
			"with target `ceil(acceptable_latency_seconds / message_processing_seconds)`, as Copilot's worker scaling but without its Lambda.",
		Optional: true,
		Attributes: map[string]schema.Attribute{
			"min_capacity": int64Attr("Fewest tasks.", 1, 0, 1000),
			"max_capacity": schema.Int64Attribute{
				MarkdownDescription: "Most tasks.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 1000)},
			},
			"acceptable_latency_seconds": schema.Int64Attribute{
				MarkdownDescription: "Longest a message may wait in the queue, in seconds.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 86400)},
			},
			"message_processing_seconds": schema.Int64Attribute{
				MarkdownDescription: "Average time one task takes for one message, in seconds.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 86400)},
			},
			"scale_in_cooldown":  int64Attr("Seconds after a scale-in before the next.", 120, 0, 3600),
			"scale_out_cooldown": int64Attr("Seconds after a scale-out before the next.", 60, 0, 3600),
			"target_backlog_per_task": schema.Int64Attribute{
				MarkdownDescription: "The tracked target: `ceil(acceptable_latency_seconds / message_processing_seconds)`.",
				Computed:            true,
			},
		},
	}
}
