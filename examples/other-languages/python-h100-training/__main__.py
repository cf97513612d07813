"""The quickstart cluster (../../../index.ts) from Python: 4 x p5.48xlarge, 32 EFA interfaces each, FSx for Lustre."""
import pulumi
import pulumi_gpu_cluster as gpu

cluster = gpu.TrainingCluster(
    "quickstart",
    cloud=gpu.Cloud.AWS,
    region="us-east-1",
    gpu=gpu.GpuSpecArgs(model=gpu.GpuModel.H100, count=32),
    storage=[gpu.StorageSpecArgs(kind=gpu.StorageKind.LUSTRE, capacity_ti_b=4.8, mount_path="/data")],
    egress=gpu.EgressSpecArgs(internet_ti_b_per_month=5),
    budget=gpu.BudgetSpecArgs(monthly_usd=200_000, on_exceed=gpu.BudgetAction.FAIL),
)

pulumi.export("instanceType", cluster.plan.instance_type)
pulumi.export("efaInterfacesPerNode", cluster.plan.fabric.nics_per_node)
pulumi.export("monthlyUsd", cluster.cost_estimate.monthly_usd)
pulumi.export("nodeGroup", cluster.node_group_id)
