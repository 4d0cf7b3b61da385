output "addresses" {
  description = "Each VM's address"
  value       = { for name, vm in local.vms : name => "${var.network_prefix}.${vm.host}" }
}

output "ansible_inventory" {
  description = "An inventory for selfhost/ansible: terraform output -raw ansible_inventory > ../ansible/inventory.ini"
  value = templatefile("${path.module}/inventory.tftpl", {
    groups = {
      for role in ["realm", "database", "proxy", "monitoring"] : role => {
        for name, vm in local.vms : name => "${var.network_prefix}.${vm.host}" if vm.role == role
      }
    }
  })
}
