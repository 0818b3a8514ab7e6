from django.urls import path

from hoptac.reports import excel_views, views

app_name = "reports"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("htx/<int:cooperative_pk>/<int:year>/", views.report_for_year, name="report_for_year"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/sua/", views.report_edit, name="report_edit"),
    path("<int:pk>/nop/", views.report_submit, name="report_submit"),
    path("<int:pk>/duyet/", views.report_approve, name="report_approve"),
    path("<int:pk>/tra-lai/", views.report_return, name="report_return"),
    path("<int:pk>/dieu-chinh/", views.report_correct, name="report_correct"),
    path("<int:pk>/mau-vii.xlsx", views.national_forms_xlsx, name="national_forms_xlsx"),
    path("<int:pk>/mau-vii.docx", views.national_forms_docx, name="national_forms_docx"),
    path("nhac-nho/<int:cooperative_pk>/<int:year>/", views.reminder_email, name="reminder_email"),
    path("nhac-nho/", views.reminder_email_late, name="reminder_email_late"),
    path(
        "thu-nhac/<int:cooperative_pk>/<int:year>/", views.reminder_letter, name="reminder_letter"
    ),
]
urlpatterns += excel_views.urlpatterns
