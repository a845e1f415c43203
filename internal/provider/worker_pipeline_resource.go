package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ resource.Resource                   = &workerPipelineResource{}
	_ resource.ResourceWithConfigure      = &workerPipelineResource{}
	_ resource.ResourceWithImportState    = &workerPipelineResource{}
	_ resource.ResourceWithModifyPlan     = &workerPipelineResource{}
	_ resource.ResourceWithValidateConfig = &workerPipelineResource{}
)

const (
	fifoSuffix = ".fifo"

	ownershipTerraform = "terraform"
	ownershipExternal  = "external"

	dedupScopeQueue        = "queue"
	dedupScopeMessageGroup = "messageGroup"
	throughputPerQueue     = "perQueue"
	throughputPerGroup     = "perMessageGroupId"

	fourteenDays = 14 * 24 * 60 * 60
)

// NewWorkerPipelineResource is the constructor registered with the provider.
func NewWorkerPipelineResource() resource.Resource {
	return &workerPipelineResource{}
}

type workerPipelineResource struct {
	clients *awsClients
}

type workerPipelineModel struct {
	ID          types.String `tfsdk:"id"`
	App         types.String `tfsdk:"app"`
	Environment types.String `tfsdk:"environment"`
	Name        types.String `tfsdk:"name"`

	QueueName                  types.String `tfsdk:"queue_name"`
	FIFO                       types.Bool   `tfsdk:"fifo"`
	KMSMasterKeyID             types.String `tfsdk:"kms_master_key_id"`
	VisibilityTimeoutSeconds   types.Int64  `tfsdk:"visibility_timeout_seconds"`
	MessageRetentionSeconds    types.Int64  `tfsdk:"message_retention_seconds"`
	ReceiveWaitTimeSeconds     types.Int64  `tfsdk:"receive_wait_time_seconds"`
	DelaySeconds               types.Int64  `tfsdk:"delay_seconds"`
	ContentBasedDeduplication  types.Bool   `tfsdk:"content_based_deduplication"`
	DeduplicationScope         types.String `tfsdk:"deduplication_scope"`
	FIFOThroughputLimit        types.String `tfsdk:"fifo_throughput_limit"`
	MaxReceiveCount            types.Int64  `tfsdk:"max_receive_count"`
	DLQRetentionSeconds        types.Int64  `tfsdk:"dead_letter_queue_retention_seconds"`
	DLQRedriveAllowPolicy      types.Bool   `tfsdk:"dead_letter_queue_redrive_allow_policy"`
	EventBridgeRuleARNs        types.Set    `tfsdk:"eventbridge_rule_arns"`
	SenderRoleARNs             types.Set    `tfsdk:"sender_role_arns"`
	AdditionalConsumerRoleARNs types.Set    `tfsdk:"additional_consumer_role_arns"`
	Subscriptions              types.Map    `tfsdk:"subscriptions"`

	Cluster                  types.String      `tfsdk:"cluster"`
	ServiceName              types.String      `tfsdk:"service_name"`
	TaskRoleARN              types.String      `tfsdk:"task_role_arn"`
	ExecutionRoleARN         types.String      `tfsdk:"execution_role_arn"`
	Container                *containerModel   `tfsdk:"container"`
	TaskDefinitionOwnership  types.String      `tfsdk:"task_definition_ownership"`
	TaskDefinitionARN        types.String      `tfsdk:"task_definition_arn"`
	SubnetIDs                types.Set         `tfsdk:"subnet_ids"`
	SecurityGroupIDs         types.Set         `tfsdk:"security_group_ids"`
	AssignPublicIP           types.Bool        `tfsdk:"assign_public_ip"`
	CapacityProviderStrategy []capacityModel   `tfsdk:"capacity_provider_strategy"`
	PlatformVersion          types.String      `tfsdk:"platform_version"`
	EnableExecuteCommand     types.Bool        `tfsdk:"enable_execute_command"`
	DesiredCount             types.Int64       `tfsdk:"desired_count"`
	WaitForSteadyState       types.Bool        `tfsdk:"wait_for_steady_state"`
	Autoscaling              *autoscalingModel `tfsdk:"autoscaling"`
	TopicQueueURIs           types.Map         `tfsdk:"topic_queue_uris"`
	Tags                     types.Map         `tfsdk:"tags"`
	TagsAll                  types.Map         `tfsdk:"tags_all"`
	Timeouts                 timeouts.Value    `tfsdk:"timeouts"`

	QueueURL             types.String `tfsdk:"queue_url"`
	QueueARN             types.String `tfsdk:"queue_arn"`
	QueuePolicy          types.String `tfsdk:"queue_policy"`
	DLQName              types.String `tfsdk:"dead_letter_queue_name"`
	DLQURL               types.String `tfsdk:"dead_letter_queue_url"`
	DLQARN               types.String `tfsdk:"dead_letter_queue_arn"`
	SubscriptionARNs     types.Map    `tfsdk:"subscription_arns"`
	ServiceARN           types.String `tfsdk:"service_arn"`
	EnvironmentVariables types.Map    `tfsdk:"environment_variables"`

	// handedOver is set once the revisions an update retires are
	// deregistered; not part of the schema.
	handedOver bool `tfsdk:"-"`
	// sidecars names the containers of the deployed task definition other
	// than the worker's (an adopted Copilot task definition may have some).
	sidecars []string `tfsdk:"-"`
	// adopted lists the revisions of the family that were ACTIVE when the
	// pipeline was imported (Copilot's): never deregistered as strays, so
	// that a rollback to the adopted deployment can still start tasks.
	adopted []string `tfsdk:"-"`
	// formerFamilies are the families the pipeline registered into before
	// an in-place change of app, environment or name, while revisions of
	// them may be ACTIVE: still the pipeline's, read and retired as its own.
	formerFamilies []string `tfsdk:"-"`
}

type subscriptionModel struct {
	TopicARN           types.String `tfsdk:"topic_arn"`
	FilterPolicy       types.String `tfsdk:"filter_policy"`
	FilterPolicyScope  types.String `tfsdk:"filter_policy_scope"`
	RawMessageDelivery types.Bool   `tfsdk:"raw_message_delivery"`
}

type containerModel struct {
	Image                  types.String      `tfsdk:"image"`
	CPU                    types.Int64       `tfsdk:"cpu"`
	Memory                 types.Int64       `tfsdk:"memory"`
	Command                types.List        `tfsdk:"command"`
	Environment            types.Map         `tfsdk:"environment"`
	Secrets                types.Map         `tfsdk:"secrets"`
	LogGroupName           types.String      `tfsdk:"log_group_name"`
	ReadonlyRootFilesystem types.Bool        `tfsdk:"readonly_root_filesystem"`
	HealthCheck            *healthCheckModel `tfsdk:"health_check"`
}

type healthCheckModel struct {
	Command     types.List  `tfsdk:"command"`
	Interval    types.Int64 `tfsdk:"interval"`
	Timeout     types.Int64 `tfsdk:"timeout"`
	Retries     types.Int64 `tfsdk:"retries"`
	StartPeriod types.Int64 `tfsdk:"start_period"`
}

type capacityModel struct {
	CapacityProvider types.String `tfsdk:"capacity_provider"`
	Weight           types.Int64  `tfsdk:"weight"`
	Base             types.Int64  `tfsdk:"base"`
}

type autoscalingModel struct {
	MinCapacity              types.Int64 `tfsdk:"min_capacity"`
	MaxCapacity              types.Int64 `tfsdk:"max_capacity"`
	AcceptableLatencySeconds types.Int64 `tfsdk:"acceptable_latency_seconds"`
	MessageProcessingSeconds types.Int64 `tfsdk:"message_processing_seconds"`
	ScaleInCooldown          types.Int64 `tfsdk:"scale_in_cooldown"`
	ScaleOutCooldown         types.Int64 `tfsdk:"scale_out_cooldown"`
	TargetBacklogPerTask     types.Int64 `tfsdk:"target_backlog_per_task"`
}

var subscriptionAttrTypes = map[string]attr.Type{
	"topic_arn":            types.StringType,
	"filter_policy":        types.StringType,
	"filter_policy_scope":  types.StringType,
	"raw_message_delivery": types.BoolType,
}

func (r *workerPipelineResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_worker_pipeline"
}

func (r *workerPipelineResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	clients, ok := req.ProviderData.(*awsClients)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", fmt.Sprintf("expected *awsClients, got %T", req.ProviderData))
		return
	}
	r.clients = clients
}
