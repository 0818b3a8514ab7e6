from django.urls import path

from hoptac.market import excel_views, views

app_name = "market"
urlpatterns = [
    path("", views.product_list, name="product_list"),
    path("san-pham/xuat/", excel_views.product_export, name="product_export"),
    path("san-pham/nhap/", excel_views.product_import, name="product_import"),
    path("san-pham/nhap/mau/", excel_views.product_template, name="product_template"),
    path(
        "san-pham/nhap/<str:import_id>/",
        excel_views.product_import_detail,
        name="product_import_detail",
    ),
    path(
        "san-pham/nhap/<str:import_id>/danh-sach-loi/",
        excel_views.product_import_fix_list,
        name="product_import_fix_list",
    ),
    path("san-pham/htx/<id:cooperative_pk>/them/", views.product_create, name="product_create"),
    path("san-pham/<id:pk>/", views.product_detail, name="product_detail"),
    path("san-pham/<id:pk>/sua/", views.product_edit, name="product_edit"),
    path("san-pham/<id:pk>/anh/", views.product_photo, name="product_photo"),
    path(
        "san-pham/<id:product_pk>/chung-nhan/them/",
        views.certification_edit,
        name="certification_create",
    ),
    path(
        "san-pham/<id:product_pk>/chung-nhan/<id:pk>/",
        views.certification_edit,
        name="certification_edit",
    ),
    path("nhan-hieu/htx/<id:cooperative_pk>/them/", views.trademark_edit, name="trademark_create"),
    path("nhan-hieu/htx/<id:cooperative_pk>/<id:pk>/", views.trademark_edit, name="trademark_edit"),
    path("xuc-tien/", views.event_list, name="event_list"),
    path("xuc-tien/them/", views.event_edit, name="event_create"),
    path("xuc-tien/<id:pk>/", views.event_detail, name="event_detail"),
    path("xuc-tien/<id:pk>/sua/", views.event_edit, name="event_edit"),
    path(
        "xuc-tien/<id:event_pk>/tham-gia/them/",
        views.participation_edit,
        name="participation_create",
    ),
    path(
        "xuc-tien/<id:event_pk>/tham-gia/<id:pk>/",
        views.participation_edit,
        name="participation_edit",
    ),
    path("doanh-nghiep/", views.company_list, name="company_list"),
    path("doanh-nghiep/them/", views.company_edit, name="company_create"),
    path("doanh-nghiep/<id:pk>/", views.company_detail, name="company_detail"),
    path("doanh-nghiep/<id:pk>/sua/", views.company_edit, name="company_edit"),
    path("lien-ket/", views.link_list, name="link_list"),
    path("lien-ket/xuat/", excel_views.link_export, name="link_export"),
    path("lien-ket/htx/<id:cooperative_pk>/them/", views.link_edit, name="link_create"),
    path("lien-ket/htx/<id:cooperative_pk>/<id:pk>/", views.link_edit, name="link_edit"),
]
