<?php
class DB extends DBmysql {
   public $dbhost = '192.168.10.30';
   public $dbuser = 'glpi';
   public $dbpassword = 'Vx7!qR2m-Kp9sT4w';
   public $dbdefault = 'glpi';
   public $use_timezones = true;
   public $use_utf8mb4 = true;
   public $allow_datetime = false;
   public $allow_signed_keys = false;
}
