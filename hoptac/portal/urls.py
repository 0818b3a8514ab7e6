from django.urls import path

from hoptac.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("gop-y/", views.feedback, name="feedback"),
    path("so-do-trang/", views.site_map, name="site_map"),
    path("lien-he/", views.contact, name="contact"),
]
