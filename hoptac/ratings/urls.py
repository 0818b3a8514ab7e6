from django.urls import path

from hoptac.ratings import views

app_name = "ratings"
urlpatterns = [
    path("", views.index, name="index"),
    path("khu-vuc/<id:area_pk>/<year:year>/", views.area_ratings, name="area"),
    path("khu-vuc/<id:area_pk>/<year:year>/de-xuat/", views.area_propose, name="area_propose"),
    path("khu-vuc/<id:area_pk>/<year:year>/cong-bo/", views.area_publish, name="area_publish"),
    path("khu-vuc/<id:area_pk>/<year:year>/tong-hop/", views.summary, name="summary"),
    path("<id:pk>/", views.rating_detail, name="rating_detail"),
    path("<id:pk>/cham-diem/", views.rating_scores, name="rating_scores"),
    path("<id:pk>/dieu-chinh/", views.rating_override, name="rating_override"),
    path("<id:pk>/duyet/", views.rating_approve, name="rating_approve"),
    path("<id:pk>/de-xuat-lai/", views.rating_repropose, name="rating_repropose"),
    path("htx/<id:cooperative_pk>/<year:year>/", views.rating_start, name="rating_start"),
]
