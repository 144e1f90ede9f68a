from django.contrib import admin

from .models import Department


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_cy"]
    search_fields = ["code", "name_en", "name_cy"]
    fields = ["code", ("name_en", "name_cy")]
