from django.urls import path

from hoptac.portal import manage_views, views, work_views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search, name="search"),
    path("danh-ba/", views.cooperative_list, name="cooperative_list"),
    path("danh-ba/<id:pk>/", views.cooperative_detail, name="cooperative_detail"),
    path("san-pham/", views.product_list, name="product_list"),
    path("san-pham/<id:pk>/", views.product_detail, name="product_detail"),
    path("ban-do/", views.map_page, name="map"),
    path("tin-tuc/", views.article_list, name="article_list"),
    path("tin-tuc/<slug:slug>/", views.article_detail, name="article_detail"),
    path("gop-y/", views.feedback, name="feedback"),
    path("so-do-trang/", views.site_map, name="site_map"),
    path("lien-he/", views.contact, name="contact"),
    # signed-in users: their tasks (the landing after sign-in)
    path("lam-viec/", work_views.home, name="work"),
    # officers
    path("quan-ly-cong/", manage_views.manage, name="manage"),
    path("quan-ly-cong/tin-tuc/", manage_views.article_manage_list, name="article_manage_list"),
    path("quan-ly-cong/tin-tuc/them/", manage_views.article_edit, name="article_create"),
    path("quan-ly-cong/tin-tuc/<id:pk>/", manage_views.article_edit, name="article_edit"),
    path("quan-ly-cong/thu/", manage_views.message_queue, name="message_queue"),
    path("quan-ly-cong/thu/<id:pk>/", manage_views.message_detail, name="message_detail"),
    path(
        "quan-ly-cong/thu/<id:pk>/trang-thai/",
        manage_views.message_status,
        name="message_status",
    ),
    path(
        "quan-ly-cong/cong-khai/",
        manage_views.publication_settings,
        name="publication_settings",
    ),
]
