from django.urls import path

from hoptac.support import excel_views, remediation_views, training_views, views

app_name = "support"
urlpatterns = [
    path("", views.overview, name="overview"),
    # policies and budgets
    path("chinh-sach/", views.policy_list, name="policy_list"),
    path("chinh-sach/them/", views.policy_create, name="policy_create"),
    path("chinh-sach/<id:pk>/", views.policy_detail, name="policy_detail"),
    path("chinh-sach/<id:pk>/sua/", views.policy_edit, name="policy_edit"),
    path("ngan-sach/", views.budget_list, name="budget_list"),
    path("ngan-sach/them/", views.budget_edit, name="budget_create"),
    path("ngan-sach/xuat/", excel_views.budget_export, name="budget_export"),
    path("ngan-sach/<id:pk>/sua/", views.budget_edit, name="budget_edit"),
    path("ngan-sach/<id:pk>/xoa/", views.budget_delete, name="budget_delete"),
    # support given
    path("da-ho-tro/", views.grant_list, name="grant_list"),
    path("da-ho-tro/tong-hop/", views.totals, name="totals"),
    path("da-ho-tro/xuat/", excel_views.grant_export, name="grant_export"),
    path("da-ho-tro/nhap/", excel_views.grant_import, name="grant_import"),
    path("da-ho-tro/nhap/mau/", excel_views.grant_template, name="grant_template"),
    path(
        "da-ho-tro/nhap/<str:import_id>/",
        excel_views.grant_import_detail,
        name="grant_import_detail",
    ),
    path(
        "da-ho-tro/nhap/<str:import_id>/danh-sach-loi/",
        excel_views.grant_import_fix_list,
        name="grant_import_fix_list",
    ),
    path("da-ho-tro/<id:pk>/", views.grant_detail, name="grant_detail"),
    path("da-ho-tro/<id:pk>/sua/", views.grant_edit, name="grant_edit"),
    path("da-ho-tro/<id:pk>/xoa/", views.grant_delete, name="grant_delete"),
    path("htx/<id:cooperative_pk>/ghi-nhan/", views.grant_create, name="grant_create"),
    path("tep/<id:pk>/", views.attachment_download, name="attachment_download"),
    # training
    path("dao-tao/", training_views.course_list, name="course_list"),
    path("dao-tao/them/", training_views.course_edit, name="course_create"),
    path("dao-tao/thong-ke/", training_views.trained, name="trained"),
    path("dao-tao/hoc-vien/mau/", excel_views.participant_template, name="participant_template"),
    path("dao-tao/<id:pk>/", training_views.course_detail, name="course_detail"),
    path("dao-tao/<id:pk>/sua/", training_views.course_edit, name="course_edit"),
    path("dao-tao/<id:pk>/nhap/", excel_views.participant_import, name="participant_import"),
    path(
        "dao-tao/<id:pk>/nhap/<str:import_id>/",
        excel_views.participant_import_detail,
        name="participant_import_detail",
    ),
    path(
        "dao-tao/<id:pk>/nhap/<str:import_id>/danh-sach-loi/",
        excel_views.participant_import_fix_list,
        name="participant_import_fix_list",
    ),
    path("dao-tao/<id:pk>/xuat/", excel_views.participant_export, name="participant_export"),
    path(
        "dao-tao/<id:course_pk>/hoc-vien/them/",
        training_views.participant_edit,
        name="participant_create",
    ),
    path(
        "dao-tao/<id:course_pk>/hoc-vien/<id:pk>/sua/",
        training_views.participant_edit,
        name="participant_edit",
    ),
    path(
        "dao-tao/<id:course_pk>/hoc-vien/<id:pk>/xoa/",
        training_views.participant_delete,
        name="participant_delete",
    ),
    # weak HTX
    path("cung-co/", remediation_views.case_list, name="case_list"),
    path("cung-co/giai-the/", remediation_views.dissolution_list, name="dissolution_list"),
    path("cung-co/htx/<id:cooperative_pk>/mo/", remediation_views.case_create, name="case_create"),
    path("cung-co/<id:pk>/", remediation_views.case_detail, name="case_detail"),
    path("cung-co/<id:pk>/sua/", remediation_views.case_edit, name="case_edit"),
    path("cung-co/<id:pk>/dong/", remediation_views.case_close, name="case_close"),
    path("cung-co/<id:pk>/ghi-chu/", remediation_views.note_add, name="note_add"),
    path("cung-co/<id:pk>/hanh-dong/", remediation_views.action_edit, name="action_create"),
    path(
        "cung-co/<id:pk>/hanh-dong/<id:action_pk>/",
        remediation_views.action_edit,
        name="action_edit",
    ),
]
